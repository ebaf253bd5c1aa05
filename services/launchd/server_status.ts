/**
 * The status of a model server launchd runs, in the supervisor's shape
 * (`managed_by: "launchd"`), from launchctl's view of the job, a health
 * probe and a CPU/memory sample.
 *
 * @module
 */
import type { Profile } from "../../db/profiles.ts";
import type { ServerStatus } from "../../lib/event_types.ts";
import { round2 } from "../../lib/format.ts";
import { nextHealth, type ProbeResult } from "../supervisor/health.ts";
import type { TreeUsage } from "../platform/processes.ts";
import type { LaunchdStatus } from "./mod.ts";
import { servedModelName } from "../supervisor/command.ts";

/** The status after launchd stopped the server: what the dashboard needs to drop its tile. */
export function stopped(server: ServerStatus): ServerStatus {
  return {
    ...server,
    state: "stopped",
    health: "unknown",
    pid: null,
    uptime_seconds: null,
    cpu_percent: null,
    memory_bytes: null,
    memory_mb: null,
    memory_percent: null,
    updated_at: new Date().toISOString(),
  };
}

/**
 * The status of a launchd job's server. Running with a pid: `running` once
 * `/health` answered (with the supervisor's health rules), `starting` before;
 * loaded but exited unsuccessfully: `crashed` (launchd restarts it); else null.
 */
export function toStatus(
  profile: Profile,
  job: LaunchdStatus,
  previous: ServerStatus | null,
  readings: { probe: ProbeResult | null; usage: TreeUsage | null; totalMemory: number },
  at: Date = new Date(),
): ServerStatus | null {
  const now = at.toISOString();
  const base = {
    profile_id: profile.id,
    profile_name: profile.name,
    model_path: profile.model_path,
    model_type: profile.model_type,
    managed_by: "launchd" as const,
    host: profile.host,
    port: profile.port,
    restart_at: null,
    in_flight: 0,
    queued: 0,
    updated_at: now,
  };
  if (job.running && job.pid !== null) {
    const same = previous !== null && previous.pid === job.pid && previous.state !== "crashed";
    const wasRunning = same && previous.state === "running";
    const probe = readings.probe;
    const state: ServerStatus["state"] = wasRunning || probe?.ok ? "running" : "starting";
    let health: ServerStatus["health"] = "unknown";
    let missed = 0;
    if (state === "running" && probe) {
      const next = wasRunning
        ? nextHealth({ health: previous.health, missed: previous.missed_probes }, probe)
        : { health: "healthy" as const, missed: 0 };
      health = next.health;
      missed = next.missed;
    }
    const startedAt = same ? previous.started_at : now;
    const rss = readings.usage?.rssBytes ?? null;
    return {
      ...base,
      state,
      health,
      missed_probes: missed,
      pid: job.pid,
      started_at: startedAt,
      ready_at: same && previous.ready_at ? previous.ready_at : probe?.ok ? now : null,
      uptime_seconds: startedAt
        ? Math.max(0, Math.round((at.getTime() - Date.parse(startedAt)) / 1000))
        : null,
      cpu_percent: readings.usage?.cpuPercent ?? null,
      memory_bytes: rss,
      memory_mb: rss === null ? null : round2(rss / 1048576),
      memory_percent: rss === null ? null : round2(rss / readings.totalMemory * 100),
      response_time_ms: probe?.ok ? probe.ms : previous?.response_time_ms ?? null,
      last_error: null,
      exit_code: null,
      exit_signal: null,
      // launchd runs the supervisor's command line: a 1.7+ server reports the profile's served name.
      served_model: probe?.modelId === servedModelName(profile.id)
        ? probe.modelId
        : same
        ? previous.served_model ?? null
        : null,
    };
  }
  const failedExit = job.last_exit_code !== null && job.last_exit_code !== 0;
  if (job.loaded && (failedExit || job.last_signal)) {
    const how = job.last_signal
      ? `was killed (${job.last_signal})`
      : `exited with code ${job.last_exit_code}`;
    return {
      ...base,
      state: "crashed",
      health: "unknown",
      missed_probes: 0,
      pid: null,
      started_at: null,
      ready_at: null,
      uptime_seconds: null,
      cpu_percent: null,
      memory_bytes: null,
      memory_mb: null,
      memory_percent: null,
      response_time_ms: null,
      last_error: `The server ${how} under launchd, which starts it again after 30 s; see its log`,
      exit_code: job.last_exit_code,
      exit_signal: job.last_signal,
    };
  }
  return null;
}
