/**
 * A profile's server as a launchd job: the same command the supervisor
 * builds, with the environment a LaunchAgent lacks (HOME, PATH) added.
 *
 * @module
 */
import { join } from "node:path";
import type { Config } from "../../lib/config.ts";
import { stablePath } from "../platform/executable.ts";
import { type LaunchdJob, profileLabel } from "./job.ts";
import { servicePath } from "./manager_job.ts";

/** The command the supervisor would run (`buildLaunchCommand`'s result). */
export interface ProfileCommand {
  executable: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * The job of a profile: `RunAtLoad` from its auto-start, the executable
 * through an upgrade-stable path, output into the profile's log in
 * `<data dir>/logs`.
 *
 * @example
 * ```ts
 * const job = await profileJob({ id: 3, auto_start: true }, buildLaunchCommand(profile, info), config);
 * job.label; // "com.mlx-manager.profile-3"
 * ```
 */
export async function profileJob(
  profile: { id: number; auto_start: boolean },
  command: ProfileCommand,
  config: Config,
): Promise<LaunchdJob> {
  return {
    label: profileLabel(profile.id),
    program: await stablePath(command.executable),
    args: command.args,
    env: { HOME: config.home, PATH: servicePath(config.path), ...command.env },
    runAtLoad: profile.auto_start,
    logDir: join(config.dataDir, "logs"),
    // The supervisor's log file for this profile, so the dashboard's log panel shows launchd's output too.
    logName: `server-${profile.id}.log`,
    workingDirectory: config.dataDir,
  };
}
