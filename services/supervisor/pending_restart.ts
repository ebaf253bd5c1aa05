/**
 * Whether a running server needs a restart to take its profile's saved
 * settings: the command line it was started with is compared with the one
 * the saved profile would give now. Pure.
 *
 * @module
 */
import type { Profile } from "../../db/profiles.ts";
import { buildLaunchCommand, type LaunchEnvOptions } from "./command.ts";
import type { ServerInfo } from "./server_info.ts";

/**
 * True when `running` (the process's command line, executable first) is not
 * what `profile` would be started with on `info`'s server, with the same
 * launch `options` (its prompt-cache folder). Nothing runs, or the server's
 * options are not known: false.
 *
 * @example
 * ```ts
 * restartPending(["/bin/mlx-openai-server", "launch", "--port", "10240", …], { ...profile, port: 10241 }, info); // true
 * ```
 */
export function restartPending(
  running: readonly string[] | null,
  profile: Profile,
  info: ServerInfo | null,
  options: LaunchEnvOptions = {},
): boolean {
  if (!running || !info?.installed) return false;
  let wanted: string[];
  try {
    const command = buildLaunchCommand(profile, info, options);
    wanted = [command.executable, ...command.args];
  } catch {
    // The saved settings cannot start as they are: what runs is not what is saved.
    return true;
  }
  return wanted.length !== running.length || wanted.some((arg, i) => arg !== running[i]);
}
