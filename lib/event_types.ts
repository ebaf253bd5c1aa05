/**
 * The live events the server pushes to browsers over `GET /api/events`.
 * Browser-safe: imported by services and islands alike.
 *
 * @module
 */
import type { DownloadView } from "./model_types.ts";
import type { McpServerView } from "./mcp_types.ts";
import type { RemoteMachineView } from "./upstream_types.ts";

/** Every event type and the shape of its data. */
export interface EventMap {
  /** Sent first on every connection; `bootId` changes when the manager restarts. */
  hello: { bootId: string };
  /** Sent when a reconnecting client missed events the server no longer holds: refetch state. */
  resync: { reason: string };
  /** A message for everyone, shown as a toast. */
  notice: { message: string; kind: "info" | "success" | "error" };
  /** The number of registrations waiting for approval (admins only). */
  "users.pending": { count: number };
  /** Any change to the list of users (admins only). */
  "users.changed": { id: number };
  /** Memory in use on this machine, about every few seconds. */
  "system.metrics": SystemMetricsEvent;
  /** A model server changed state, health or metrics. */
  "server.update": ServerStatus;
  /** The list of profiles changed. */
  "profiles.changed": { id: number | null };
  /** A download job changed state, or made progress (about once a second while running). */
  "download.update": DownloadUpdateEvent;
  /** The local model cache changed. */
  "models.changed": { id: string | null };
  /** An MCP server changed state or tools (`server` set), or was removed (`server` null). */
  "mcp.changed": { id: number; server: McpServerView | null };
  /** A `/v1` request ended (who made it is left out: pages fetch what their reader may see). */
  "gateway.activity": GatewayActivityEvent;
  /** An upstream was added, changed, removed, or its state or models changed (null when removed). */
  "upstreams.changed": { id: number; machine: RemoteMachineView | null };
}

/** A finished `/v1` request, without its user or key. */
export interface GatewayActivityEvent {
  id: string;
  created_at: string;
  profile_id: number | null;
  model: string | null;
  endpoint: string;
  status: number;
  outcome: string;
  duration_ms: number;
  ttft_ms: number | null;
  tokens_per_second: number | null;
  completion_tokens: number | null;
}

/** A download job as `GET /api/models/downloads` lists it: bytes done/total, speed, ETA, current file. */
export type DownloadUpdateEvent = DownloadView;

/** Memory and GPU figures for the navbar and the System page. */
export interface SystemMetricsEvent {
  memory: { total: number; used: number; percent: number };
  swap?: { total: number; used: number };
  pressure?: string | null;
  gpu?: { utilization: number | null; memoryInUse: number | null } | null;
  at: string;
}

/** Event type names. */
export type EventType = keyof EventMap;

/** What a 1.8 server reports of its own batch in `/v1/queue/stats`. */
export interface ServerQueueStats {
  /** Sequences handed to the batch (decoding, or waiting inside it). */
  active: number;
  /** Requests waiting for admission to the batch. */
  waiting: number;
  /** Sequences decoded together at most (`--decode-concurrency`). */
  batch_size: number;
  /** Requests finished since the server started. */
  completed: number;
  /** False with `--disable-batching` (one request at a time). */
  batching: boolean;
}

/** The life cycle of a model server. */
export type ServerState = "stopped" | "starting" | "running" | "stopping" | "failed" | "crashed";

/** The result of the recent health probes of a running server. */
export type ServerHealth = "unknown" | "healthy" | "unhealthy";

/** A model server as the servers API and `server.update` events show it. */
export interface ServerStatus {
  profile_id: number;
  profile_name: string;
  model_path: string;
  model_type: string;
  /** `failed`: exited before it was ready, or did not get ready in time; `crashed`: exited after. */
  state: ServerState;
  health: ServerHealth;
  /** Health probes in a row that got no answer (three make it `unhealthy`). */
  missed_probes: number;
  /** Who runs the process. */
  managed_by: "manager" | "launchd";
  pid: number | null;
  host: string;
  port: number;
  /** When the process was started (ISO). */
  started_at: string | null;
  /** When it first answered `/health` (ISO). */
  ready_at: string | null;
  uptime_seconds: number | null;
  /** CPU of the process tree in percent of one core. */
  cpu_percent: number | null;
  /** Resident memory of the process tree. */
  memory_bytes: number | null;
  memory_mb: number | null;
  /** Resident memory in percent of this machine's memory. */
  memory_percent: number | null;
  /** Time the last health probe took. */
  response_time_ms: number | null;
  /** Why it failed or crashed, with the last log lines. */
  last_error: string | null;
  exit_code: number | null;
  exit_signal: string | null;
  /** When an automatic restart after a crash is due (ISO). */
  restart_at: string | null;
  /** Requests holding the server now (through the manager's endpoint). */
  in_flight: number;
  /** Requests waiting in the manager's queue for this server (for a slot, or for it to start). */
  queued: number;
  /**
   * The `model` every request to this run carries (its `--served-model-name`);
   * null when the version has none and any name is taken.
   */
  served_model?: string | null;
  /** What the server itself reports of its batch (`/v1/queue/stats`, 1.8); null when unknown. */
  server_queue?: ServerQueueStats | null;
  /**
   * While starting or running: the model name a `/v1` request asked for when
   * it started this run; null (or absent) when a person, auto-start, a crash
   * restart or launchd started it.
   */
  started_for?: string | null;
  /**
   * While starting or running: the profile was edited since the server
   * started (its saved settings give another command line), so a restart
   * applies them. Absent for servers the manager did not start (launchd).
   */
  pending_restart?: boolean;
  /** When this status was produced (ISO, with milliseconds). */
  updated_at: string;
}
