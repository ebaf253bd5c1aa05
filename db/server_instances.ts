/**
 * The `server_instances` table: one row per model-server process the
 * supervisor started and that has not exited yet, so a restarted manager can
 * adopt it (or clean the row up when the process is gone).
 *
 * @module
 */
import { type Db, statement } from "./mod.ts";
import { nullable } from "./rows.ts";

/** The states a live process can be recorded in. */
export type InstanceState = "starting" | "running" | "stopping";

/** A recorded model-server process. */
export interface ServerInstance {
  profileId: number;
  pid: number;
  host: string;
  port: number;
  /** The exact command line: the executable, then its arguments. */
  command: string[];
  logPath: string;
  state: InstanceState;
  startedAt: string;
  readyAt: string | null;
}

function toInstance(r: Record<string, unknown>): ServerInstance {
  return {
    profileId: Number(r.profile_id),
    pid: Number(r.pid),
    host: String(r.host),
    port: Number(r.port),
    command: JSON.parse(String(r.command)),
    logPath: String(r.log_path),
    state: r.state as InstanceState,
    startedAt: String(r.started_at),
    readyAt: nullable(r.ready_at, String),
  };
}

/**
 * Records a process (replacing an older row of the same profile).
 *
 * @example
 * ```ts
 * saveInstance(db, { profileId: 1, pid: 4242, host: "127.0.0.1", port: 10240, command: ["mlx-openai-server", "launch"],
 *   logPath: "/data/logs/server-1.log", state: "starting", startedAt: now(), readyAt: null });
 * ```
 */
export function saveInstance(db: Db, i: ServerInstance): void {
  statement(
    db,
    `INSERT OR REPLACE INTO server_instances
       (profile_id, pid, host, port, command, log_path, state, started_at, ready_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    i.profileId,
    i.pid,
    i.host,
    i.port,
    JSON.stringify(i.command),
    i.logPath,
    i.state,
    i.startedAt,
    i.readyAt,
  );
}

/** Updates the recorded state of a profile's process. */
export function setInstanceState(
  db: Db,
  profileId: number,
  state: InstanceState,
  readyAt?: string,
): void {
  statement(
    db,
    "UPDATE server_instances SET state = ?, ready_at = coalesce(?, ready_at) WHERE profile_id = ?",
  ).run(state, readyAt ?? null, profileId);
}

/** Every recorded process. */
export function listInstances(db: Db): ServerInstance[] {
  return statement(db, "SELECT * FROM server_instances ORDER BY profile_id").all().map(toInstance);
}

/** Forgets a profile's process (it exited, or it is not ours any more). */
export function deleteInstance(db: Db, profileId: number): void {
  statement(db, "DELETE FROM server_instances WHERE profile_id = ?").run(profileId);
}
