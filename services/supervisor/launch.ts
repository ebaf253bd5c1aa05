/**
 * Launching a profile's server: build the command from its saved settings,
 * make room in the memory budget when requests wait for it, check the port
 * and host, then spawn it with the least environment and record it.
 *
 * @module
 */
import { now } from "../../db/mod.ts";
import { findProfile, type Profile } from "../../db/profiles.ts";
import { saveInstance } from "../../db/server_instances.ts";
import { AppError } from "../../lib/errors.ts";
import { buildLaunchCommand } from "./command.ts";
import { preflight, problemError } from "./preflight.ts";
import { ProcessRun } from "./process_run.ts";
import type { RoomSeeker } from "./room.ts";
import { type ServerContext, shuttingDown } from "./server_context.ts";
import type { ServerLog } from "./server_log.ts";

/** A spawned run. */
export interface Launched {
  run: ProcessRun;
  profile: Profile;
  startedAt: string;
  /** The command line it was started with (the executable first). */
  command: string[];
}

/** What {@link launch} asks of the server it launches for. */
export interface LaunchTarget {
  id: number;
  log: ServerLog;
  /** Requests wait for this start: room in the budget is needed first. */
  forRequests: boolean;
  seeker: RoomSeeker;
  /** Whether the start is still wanted (no stop came, the manager is not closing). */
  stillStarting(): boolean;
  closed(): boolean;
}

/**
 * Launches the server; null when a stop came before the spawn.
 *
 * @throws {AppError} `not_found` (profile gone), `conflict` (port, host,
 *   server missing, unsupported option), `unavailable` (shutting down, over the budget)
 */
export async function launch(ctx: ServerContext, target: LaunchTarget): Promise<Launched | null> {
  const { db, config, serverInfo } = ctx;
  const profile = findProfile(db, target.id);
  if (!profile) throw new AppError("not_found", "Profile not found");
  const command = buildLaunchCommand(profile, await serverInfo.get(), {
    hfHome: config.hfHome,
    hfHubCache: config.hfHubCache,
    offline: config.offline,
  });
  if (target.forRequests) await ctx.makeRoom(target.seeker);
  const problem = await preflight(profile, (port) => ctx.portHolder(target.id, port));
  if (problem) throw problemError(problem);
  if (target.closed()) throw shuttingDown();
  await target.log.beginRun();
  if (!target.stillStarting()) return null;
  const args = [command.executable, ...command.args];
  target.log.note(`Starting: ${args.join(" ")}`);
  // Least privilege: the server sees only the variables it needs, never the manager's secrets.
  const env = { ...config.serverEnv, ...command.env };
  const run = ProcessRun.spawn({ ...command, env }, target.log.path, config.dataDir);
  const startedAt = now();
  saveInstance(db, {
    profileId: target.id,
    pid: run.pid,
    host: profile.host,
    port: profile.port,
    command: args,
    logPath: target.log.path,
    state: "starting",
    startedAt,
    readyAt: null,
  });
  ctx.logger.info("Model server starting", { profile: target.id, pid: run.pid, port: profile.port });
  return { run, profile, startedAt, command: args };
}
