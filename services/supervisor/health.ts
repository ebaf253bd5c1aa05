/**
 * Health probes: `GET /health` of a model server with a timeout, a sweep
 * that probes many servers at once, and a 1.8 server's own batch figures.
 *
 * @module
 */

import type { ServerQueueStats } from "../../lib/event_types.ts";

/** The answer of one probe. */
export interface ProbeResult {
  /** `/health` answered 200. */
  ok: boolean;
  /** The HTTP status, when there was an answer. */
  status: number | null;
  /** Milliseconds until the answer (or the failure). */
  ms: number;
  /** The connection was refused: nothing listens (yet). */
  refused: boolean;
  /** What went wrong, for people. */
  error: string | null;
  /** `model_id` from the body, when present. */
  modelId: string | null;
}

/** The answer of `GET /api/servers/{id}/health`: a live probe. */
export interface HealthAnswer {
  status: "healthy" | "unhealthy" | "starting" | "stopped";
  response_time_ms: number | null;
  model_loaded: boolean | null;
  error: string | null;
}

/**
 * Probes `GET {baseUrl}/health`, giving up after `timeoutMs`.
 *
 * @example
 * ```ts
 * const result = await probeHealth("http://127.0.0.1:10240", 3000);
 * result.ok; // true once the model is loaded
 * ```
 */
export async function probeHealth(
  baseUrl: string,
  timeoutMs: number,
  client?: Deno.HttpClient,
): Promise<ProbeResult> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const done = (r: Omit<ProbeResult, "ms">): ProbeResult => ({
    ...r,
    ms: Math.round((performance.now() - started) * 10) / 10,
  });
  try {
    // `client` is Deno's extension of RequestInit.
    const init = { signal: controller.signal, client } as RequestInit;
    const res = await fetch(`${baseUrl}/health`, init);
    const text = await res.text();
    let modelId: string | null = null;
    try {
      const id = JSON.parse(text)?.model_id;
      modelId = typeof id === "string" ? id : null;
    } catch { /* not JSON: the status decides */ }
    return done({
      ok: res.status === 200,
      status: res.status,
      refused: false,
      error: res.status === 200 ? null : `HTTP ${res.status}`,
      modelId,
    });
  } catch (error) {
    if (controller.signal.aborted) {
      return done({
        ok: false,
        status: null,
        refused: false,
        error: `No answer within ${timeoutMs} ms`,
        modelId: null,
      });
    }
    const refused = /refused|ECONNREFUSED/i.test(String((error as Error).message));
    return done({
      ok: false,
      status: null,
      refused,
      error: refused ? "Connection refused" : (error as Error).message,
      modelId: null,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** A server to probe. */
export interface ProbeTarget {
  id: number;
  baseUrl: string;
}

/**
 * Probes every target at once; the sweep takes as long as the slowest probe,
 * at most about `timeoutMs`.
 *
 * @example
 * ```ts
 * const results = await sweepHealth([{ id: 1, baseUrl: "http://127.0.0.1:10240" }], 3000);
 * results.get(1)?.ok;
 * ```
 */
export async function sweepHealth(
  targets: ProbeTarget[],
  timeoutMs: number,
  client?: Deno.HttpClient,
): Promise<Map<number, ProbeResult>> {
  const results = await Promise.all(targets.map((t) => probeHealth(t.baseUrl, timeoutMs, client)));
  return new Map(targets.map((t, i) => [t.id, results[i]]));
}

/** Missed probes in a row that make a running server `unhealthy`. */
export const UNHEALTHY_AFTER = 3;

/**
 * The health after one more probe: an answer makes it healthy; a miss only
 * counts (a server busy with a long request cannot answer), and the third
 * miss in a row makes it unhealthy.
 *
 * @example
 * ```ts
 * nextHealth({ health: "healthy", missed: 0 }, failedProbe); // { health: "healthy", missed: 1 }
 * nextHealth({ health: "healthy", missed: 2 }, failedProbe); // { health: "unhealthy", missed: 3 }
 * ```
 */
export function nextHealth(
  previous: { health: "unknown" | "healthy" | "unhealthy"; missed: number },
  result: ProbeResult,
): { health: "unknown" | "healthy" | "unhealthy"; missed: number } {
  if (result.ok) return { health: "healthy", missed: 0 };
  const missed = previous.missed + 1;
  return { health: missed >= UNHEALTHY_AFTER ? "unhealthy" : previous.health, missed };
}

/**
 * The batch figures of a 1.8 `/v1/queue/stats` body, or null when it has
 * none (1.5 reports only its queue; an unreadable body).
 *
 * @example
 * ```ts
 * parseQueueStats({ status: "ok", queue_stats: { batch_stats: { active_requests: 3, queue_size: 0, completion_batch_size: 32, disabled: false } } });
 * // { active: 3, waiting: 0, batch_size: 32, completed: 0, batching: true }
 * ```
 */
export function parseQueueStats(body: unknown): ServerQueueStats | null {
  const stats = (body as { queue_stats?: { queue_stats?: unknown; batch_stats?: unknown } })?.queue_stats;
  const batch = stats?.batch_stats as Record<string, unknown> | undefined;
  const worker = stats?.queue_stats as Record<string, unknown> | undefined;
  if (!batch || typeof batch !== "object") return null;
  const count = (value: unknown) => typeof value === "number" && Number.isFinite(value) ? value : 0;
  const disabled = batch.disabled === true;
  // With batching off, the serial worker does the work.
  const source = disabled && worker ? worker : batch;
  return {
    active: count(source.active_requests),
    waiting: count(source.queue_size),
    batch_size: disabled ? 1 : count(batch.completion_batch_size),
    completed: count(worker?.completed_requests),
    batching: !disabled,
  };
}

/**
 * Reads a 1.8 server's own batch figures (`GET /v1/queue/stats`); null when
 * it does not answer in time or reports none. On 1.8 the call reaches the
 * model process, so a dead one is noticed (and restarted) by the server.
 */
export async function probeQueueStats(
  baseUrl: string,
  timeoutMs: number,
  client?: Deno.HttpClient,
): Promise<ServerQueueStats | null> {
  try {
    const init = { signal: AbortSignal.timeout(timeoutMs), client } as RequestInit;
    const res = await fetch(`${baseUrl}/v1/queue/stats`, init);
    if (res.status !== 200) {
      await res.body?.cancel();
      return null;
    }
    return parseQueueStats(await res.json());
  } catch {
    return null;
  }
}
