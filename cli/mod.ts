/**
 * The command line: global options, dispatch to each command (loaded only
 * when used, so `status` or the menubar do not load the web app), and the
 * mapping of failures to messages and exit codes.
 *
 * @module
 */
import { VERSION } from "../lib/version.ts";
import { CliError, EXIT, type ExitCode, print, printError, usageError } from "./io.ts";

/** The global help. */
export const HELP = `MLX Manager ${VERSION}: find, download, run and chat with MLX models

Usage: mlx-manager [command] [options]

Commands:
  serve               Run the web app (default)
  status              List the servers of a running manager
  login               Sign in and save a token for status and the menubar
  logout              Forget the saved token
  create-admin        Create an administrator (headless setup, recovery)
  install-service     Run MLX Manager at login (macOS LaunchAgent)
  uninstall-service   Remove that LaunchAgent
  menubar             xbar/SwiftBar menu: install, render, start, stop

Options:
  -p, --port <n>      Port to listen on (serve; MLX_MANAGER_PORT, default 8080)
      --host <h>      Address to bind (serve; MLX_MANAGER_HOST, default 127.0.0.1)
  -v, --version       Print the version
  -h, --help          Print this help ("mlx-manager <command> --help" for a command)

Exit codes: 0 ok, 1 failure, 2 usage, 3 not reachable, 4 not signed in or refused
`;

type Command = (argv: string[]) => Promise<ExitCode>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import("./serve.ts")).serve,
  status: async () => (await import("./status.ts")).status,
  login: async () => (await import("./login.ts")).login,
  logout: async () => (await import("./login.ts")).logout,
  "create-admin": async () => (await import("./create_admin.ts")).createAdmin,
  "install-service": async () => (await import("./service.ts")).installService,
  "uninstall-service": async () => (await import("./service.ts")).uninstallService,
  menubar: async () => (await import("./menubar.ts")).menubar,
};

/** Node's parseArgs errors carry a code; they are usage errors of the command. */
function isArgumentError(error: unknown): error is Error {
  return error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS");
}

/**
 * Runs the command line and returns the exit code.
 *
 * @example
 * ```ts
 * Deno.exit(await runCli(["status", "--json"]));
 * ```
 */
export async function runCli(argv: string[]): Promise<ExitCode> {
  const first = argv[0];
  const isOption = first === undefined || first.startsWith("-");
  if (first === "--help" || first === "-h" || first === "help") {
    print(HELP.trimEnd());
    return EXIT.ok;
  }
  if (first === "--version" || first === "-v") {
    print(`MLX Manager ${VERSION}`);
    return EXIT.ok;
  }
  const name = isOption ? "serve" : first;
  const args = isOption ? argv : argv.slice(1);
  try {
    const load = COMMANDS[name];
    if (!load) throw usageError(`Unknown command "${name}"`);
    return await (await load())(args);
  } catch (error) {
    if (error instanceof CliError) {
      printError(`Error: ${error.message}`);
      return error.code;
    }
    if (isArgumentError(error)) {
      printError(`Error: ${usageError(error.message, name).message}`);
      return EXIT.usage;
    }
    printError(`Error: ${(error as Error).message ?? error}`);
    return EXIT.failure;
  }
}
