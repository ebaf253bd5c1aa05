/**
 * `mlx-manager login` and `logout`: sign in to a manager and keep the token
 * for later commands (`status`, the menubar), or forget it.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ask, CliError, EXIT, type ExitCode, print, readPassword, usageError } from "./io.ts";
import { removeToken, saveToken } from "./token_store.ts";
import { commandConfig, parseUrl } from "./config.ts";
import { serverUrl } from "../services/platform/dial.ts";
import { ManagerClient } from "./client.ts";

/** Help of `login`. */
export const LOGIN_HELP = `Usage: mlx-manager login [options]

Sign in and save the session token (in <data dir>/cli-token, mode 0600) so
that "status" and the menubar work without --token.

Options:
      --url <url>         The manager (default: http://MLX_MANAGER_HOST:MLX_MANAGER_PORT)
      --email <email>     The account (asked for when missing)
      --password-stdin    Read the password from standard input
  -h, --help              Print this help

Exit codes: 0 ok, 1 failure, 2 usage, 3 not reachable, 4 refused
`;

/** Help of `logout`. */
export const LOGOUT_HELP = `Usage: mlx-manager logout

Forget the token "login" saved. Sessions in browsers stay signed in.
`;

/** Runs `login`. */
export async function login(argv: string[]): Promise<ExitCode> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      email: { type: "string" },
      "password-stdin": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    print(LOGIN_HELP.trimEnd());
    return EXIT.ok;
  }
  const config = commandConfig();
  const url = values.url ? parseUrl(values.url, "login") : serverUrl(config.host, config.port);
  let email = values.email?.trim();
  if (!email) {
    if (values["password-stdin"] || !Deno.stdin.isTerminal()) throw usageError("Pass --email", "login");
    email = ask("Email:")?.trim();
  }
  if (!email) throw usageError("An email is required", "login");
  const password = await readPassword(values["password-stdin"] ?? false, "login");
  const client = new ManagerClient(url);
  await client.ensureReachable();
  const answer = await client.request<{ access_token?: string; detail?: string }>("POST", "/api/auth/login", {
    email,
    password,
  });
  if (answer.status !== 200 || !answer.body?.access_token) {
    const detail = answer.body?.detail ?? `HTTP ${answer.status}`;
    const code = answer.status === 401 || answer.status === 403 ? EXIT.unauthorized : EXIT.failure;
    throw new CliError(`Cannot sign in to ${url}: ${detail}`, code);
  }
  const path = await saveToken(config.dataDir, {
    url,
    token: answer.body.access_token,
    email,
    saved_at: new Date().toISOString(),
  });
  print(`Signed in to ${url} as ${email}; the token is saved in ${path}`);
  return EXIT.ok;
}

/** Runs `logout`. */
export async function logout(argv: string[]): Promise<ExitCode> {
  const { values } = parseArgs({ args: argv, options: { help: { type: "boolean", short: "h" } } });
  if (values.help) {
    print(LOGOUT_HELP.trimEnd());
    return EXIT.ok;
  }
  const removed = await removeToken(commandConfig().dataDir);
  print(removed ? "Signed out: the saved token is deleted" : "No saved token");
  return EXIT.ok;
}
