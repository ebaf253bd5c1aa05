/**
 * MLX Manager itself as a LaunchAgent (`com.mlx-manager.app`): how this
 * program runs again (the compiled binary, or Deno with `main.ts`) and the
 * environment the service needs.
 *
 * @module
 */
import { delimiter, join } from "node:path";
import type { Config } from "../../lib/config.ts";
import { ROOT } from "../../lib/paths.ts";
import { stablePath } from "../platform/executable.ts";
import { type LaunchdJob, MANAGER_LABEL } from "./job.ts";

/** A program and the arguments that run MLX Manager's command line. */
export interface SelfCommand {
  program: string;
  args: string[];
}

/** Whether this process is a `deno compile` binary rather than `deno run`. */
export function isCompiled(execPath: string = Deno.execPath()): boolean {
  return !/^deno(\.exe)?$/i.test(execPath.split(/[\\/]/).pop() ?? "");
}

/**
 * The command that runs this program's CLI: the binary itself when compiled,
 * else `deno run -A --config <root>/deno.json <root>/main.ts`. The program path
 * is upgrade-stable (`/opt/homebrew/bin/deno`, not a Cellar path).
 *
 * @example
 * ```ts
 * const self = await selfCommand();
 * // { program: "/opt/homebrew/bin/deno", args: ["run", "-A", "--config", ".../deno.json", ".../main.ts"] }
 * ```
 */
export async function selfCommand(
  execPath: string = Deno.execPath(),
  root: string = ROOT,
): Promise<SelfCommand> {
  const program = await stablePath(execPath);
  if (isCompiled(execPath)) return { program, args: [] };
  return { program, args: ["run", "-A", "--config", join(root, "deno.json"), join(root, "main.ts")] };
}

const SYSTEM_PATH = ["/opt/homebrew/bin", "/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"];

/** The PATH for a service: the installing user's PATH, then the usual system folders. */
export function servicePath(path: string): string {
  const dirs = [...path.split(delimiter), ...SYSTEM_PATH].filter((d) => d.startsWith("/"));
  return [...new Set(dirs)].join(delimiter);
}

/**
 * The variables the service needs to find the same data, port and model
 * server as the shell that installed it. Secrets (the JWT secret, HF_TOKEN)
 * are never written into a plist: the secret lives in the data dir.
 */
export function serviceEnvironment(config: Config): Record<string, string> {
  const env: Record<string, string> = {
    HOME: config.home,
    PATH: servicePath(config.path),
    MLX_MANAGER_HOST: config.host,
    MLX_MANAGER_PORT: String(config.port),
    MLX_MANAGER_DATA_DIR: config.dataDir,
    MLX_MANAGER_LOG_LEVEL: config.logLevel,
  };
  if (config.databasePath !== join(config.dataDir, "mlx-manager.db")) {
    env.MLX_MANAGER_DATABASE_PATH = config.databasePath;
  }
  if (config.kvPath !== join(config.dataDir, "kv.sqlite3")) env.MLX_MANAGER_KV_PATH = config.kvPath;
  if (config.mlxServer !== "mlx-openai-server") env.MLX_MANAGER_MLX_SERVER = config.mlxServer;
  env.HF_HOME = config.hfHome;
  env.HF_HUB_CACHE = config.hfHubCache;
  if (config.hfEndpoint !== "https://huggingface.co") env.HF_ENDPOINT = config.hfEndpoint;
  if (config.offline) env.MLX_MANAGER_OFFLINE = "true";
  return env;
}

/**
 * The job that runs `mlx-manager serve` at login with the current settings.
 *
 * @example
 * ```ts
 * const job = managerJob(config, await selfCommand());
 * job.label; // "com.mlx-manager.app"
 * ```
 */
export function managerJob(config: Config, self: SelfCommand): LaunchdJob {
  return {
    label: MANAGER_LABEL,
    program: self.program,
    args: [...self.args, "serve"],
    env: serviceEnvironment(config),
    runAtLoad: true,
    logDir: join(config.dataDir, "logs"),
    workingDirectory: config.dataDir,
  };
}
