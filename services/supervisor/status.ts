/**
 * The facts of a server's current (or last) run, and the status the API and
 * the events show, built from them. Pure.
 *
 * @module
 */
import type { Profile } from "../../db/profiles.ts";
import type { ServerHealth, ServerQueueStats, ServerState, ServerStatus } from "../../lib/event_types.ts";
import type { TreeUsage } from "../platform/processes.ts";
import { nextHealth, type ProbeResult } from "./health.ts";

/** What is known of the current or last run of a server. */
export interface RunFacts {
  pid: number | null;
  host: string;
  port: number;
  startedAt: string | null;
  readyAt: string | null;
  health: ServerHealth;
  missed: number;
  responseMs: number | null;
  cpu: number | null;
  rss: number | null;
  lastError: string | null;
  exitCode: number | null;
  exitSignal: string | null;
  restartAt: string | null;
  /** The `--served-model-name` of this run, or null (the version has none). */
  servedModel: string | null;
  /** The server's own batch figures at the last sweep (1.8). */
  serverQueue: ServerQueueStats | null;
}

/** The facts of a server that has not run yet, at the profile's address. */
export function noRun(profile: Pick<Profile, "host" | "port">): RunFacts {
  return {
    pid: null,
    host: profile.host,
    port: profile.port,
    startedAt: null,
    readyAt: null,
    ...freshRun(),
    restartAt: null,
    servedModel: null,
  };
}

/** The fields a new run starts from: the one per-run reset. */
export function freshRun(): Pick<
  RunFacts,
  "health" | "missed" | "responseMs" | "cpu" | "rss" | "lastError" | "exitCode" | "exitSignal" | "serverQueue"
> {
  return {
    serverQueue: null,
    health: "unknown",
    missed: 0,
    responseMs: null,
    cpu: null,
    rss: null,
    lastError: null,
    exitCode: null,
    exitSignal: null,
  };
}

/** What {@link toServerStatus} needs besides the run. */
export interface StatusInput {
  profile: Pick<Profile, "id" | "name" | "model_path" | "model_type">;
  state: ServerState;
  run: RunFacts;
  inFlight: number;
  queued: number;
  /** The model a request asked for when it caused this run's start (null: started by hand). */
  startedFor?: string | null;
  /** The saved profile would start it with another command line than it runs with. */
  pendingRestart?: boolean;
  totalMemory: number;
  at?: Date;
}

/**
 * The status as the API and `server.update` events show it.
 *
 * @example
 * ```ts
 * toServerStatus({ profile, state: "stopped", run: noRun(profile), inFlight: 0, queued: 0, totalMemory }).pid; // null
 * ```
 */
export function toServerStatus(input: StatusInput): ServerStatus {
  const { profile, state, run, totalMemory } = input;
  const at = input.at ?? new Date();
  const live = run.pid !== null;
  const uptime = live && run.startedAt
    ? Math.max(0, (at.getTime() - Date.parse(run.startedAt)) / 1000)
    : null;
  return {
    profile_id: profile.id,
    profile_name: profile.name,
    model_path: profile.model_path,
    model_type: profile.model_type,
    state,
    health: run.health,
    missed_probes: run.missed,
    managed_by: "manager",
    pid: run.pid,
    host: run.host,
    port: run.port,
    started_at: live ? run.startedAt : null,
    ready_at: live ? run.readyAt : null,
    uptime_seconds: uptime === null ? null : Math.round(uptime),
    cpu_percent: run.cpu,
    memory_bytes: run.rss,
    memory_mb: run.rss === null ? null : Math.round(run.rss / 1048576 * 100) / 100,
    memory_percent: run.rss === null || totalMemory <= 0
      ? null
      : Math.round(run.rss / totalMemory * 10000) / 100,
    response_time_ms: run.responseMs,
    last_error: run.lastError,
    exit_code: run.exitCode,
    exit_signal: run.exitSignal,
    restart_at: run.restartAt,
    in_flight: input.inFlight,
    queued: input.queued,
    served_model: live ? run.servedModel : null,
    server_queue: live ? run.serverQueue : null,
    started_for: state === "starting" || state === "running" ? input.startedFor ?? null : null,
    pending_restart: (state === "starting" || state === "running") && input.pendingRestart === true,
    updated_at: at.toISOString(),
  };
}

/** The facts after a health probe of a running server (the sweep's health rules). */
export function probed(facts: RunFacts, result: ProbeResult): RunFacts {
  return { ...facts, ...nextHealth(facts, result), responseMs: result.ok ? result.ms : facts.responseMs };
}

/** The facts after a CPU and memory sample (null: the process tree was not found). */
export function sampled(facts: RunFacts, usage: TreeUsage | null): RunFacts {
  return { ...facts, cpu: usage?.cpuPercent ?? null, rss: usage?.rssBytes ?? null };
}
