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
import { buildLaunchCommand, servedNameOf } from "./command.ts";
import { versionAtLeast } from "../../lib/server_features.ts";
import { join } from "node:path";
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
  /** The `--served-model-name` it was given, or null. */
  servedModel: string | null;
  /** Its model runs in a child process (1.8), whose death the server itself notices late. */
  modelInChild: boolean;
}

/** A profile's own prompt-cache folder (1.8 keeps the cache on disk), under the data dir. */
export function promptCacheDirOf(dataDir: string, profileId: number): string {
  return join(dataDir, "prompt-cache", `profile-${profileId}`);
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
  const info = await serverInfo.get();
  const promptCacheDir = promptCacheDirOf(config.dataDir, profile.id);
  const command = buildLaunchCommand(profile, info, {
    hfHome: config.hfHome,
    hfHubCache: config.hfHubCache,
    offline: config.offline,
    promptCacheDir,
  });
  if (target.forRequests) await ctx.makeRoom(target.seeker);
  const problem = await preflight(profile, (port) => ctx.portHolder(target.id, port));
  if (problem) throw problemError(problem);
  if (target.closed()) throw shuttingDown();
  await target.log.beginRun();
  if (!target.stillStarting()) return null;
  // The server never reads entries an earlier run left (after a crash they stay behind): start empty.
  if (command.args.includes("--prompt-cache-dir")) {
    await Deno.remove(promptCacheDir, { recursive: true }).catch(() => {});
    await Deno.mkdir(promptCacheDir, { recursive: true });
  }
  const args = [command.executable, ...command.args];
  target.log.note(`Starting: ${args.join(" ")}`);
  // Least privilege: the server sees only the variables it needs, never the manager's secrets.
  const env = { ...config.serverEnv, ...command.env };
  const run = ProcessRun.spawn(
    { ...command, env },
    target.log.path,
    config.dataDir,
    (t) => target.log.note(t),
  );
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
  return {
    run,
    profile,
    startedAt,
    command: args,
    servedModel: servedNameOf(command.args),
    modelInChild: versionAtLeast(info.version, "1.8.0"),
  };
}
