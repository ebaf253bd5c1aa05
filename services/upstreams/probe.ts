/**
 * One look at an upstream: `GET <base_url>/models` with its key, within the
 * connect timeout. The answer says whether it is online, refuses the key, or
 * cannot be reached, how long it took, and which models it serves. The
 * parsing is pure ({@link parseModels}, {@link classify}); {@link probe} is
 * the one effect.
 *
 * @module
 */
import type { UpstreamKind, UpstreamModel, UpstreamState } from "../../lib/upstream_types.ts";
import { connectionReason, request } from "../platform/http1/mod.ts";

/** What a probe found. */
export interface ProbeResult {
  state: Exclude<UpstreamState, "unknown">;
  /** Why it is not online; null when it is. */
  error: string | null;
  latencyMs: number | null;
  /** The models listed; null when the answer listed none (not online, or not a model list). */
  models: UpstreamModel[] | null;
}

/** What {@link probe} needs. */
export interface ProbeTarget {
  kind: UpstreamKind;
  baseUrl: string;
  apiKey: string | null;
  timeoutMs: number;
  /** Whether an admin listed its models (then a server without `/models` is still online). @default false */
  listed?: boolean;
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/**
 * The models of a `/v1/models` answer. An MLX Manager peer's entries carry
 * `mlx_manager` (state, loaded, memory, requests in flight); the peer's own
 * remote models (those with `mlx_manager.upstream`) are left out, so two
 * managers that list each other do not route in a loop.
 *
 * @example
 * ```ts
 * parseModels({ data: [{ id: "qwen", mlx_manager: { loaded: true, state: "running" } }] }, "mlx-manager");
 * // [{ id: "qwen", loaded: true, state: "running", model_type: null, memory_bytes: null, in_flight: null, alias_of: null }]
 * ```
 */
export function parseModels(body: unknown, kind: UpstreamKind): UpstreamModel[] | null {
  // OpenAI's shape is `{data: [...]}`; some servers (exo among them) may answer the bare list.
  const data = Array.isArray(body) ? body : (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return null;
  const seen = new Set<string>();
  const out: UpstreamModel[] = [];
  for (const entry of data) {
    const id = str((entry as { id?: unknown })?.id) ?? str((entry as { model_id?: unknown })?.model_id);
    if (!id || id.length > 200 || seen.has(id)) continue;
    const ext = kind === "mlx-manager"
      ? (entry as { mlx_manager?: Record<string, unknown> }).mlx_manager ?? null
      : null;
    if (ext && ext.upstream !== undefined && ext.upstream !== null) continue;
    seen.add(id);
    out.push({
      id,
      loaded: typeof ext?.loaded === "boolean" ? ext.loaded : null,
      model_type: str(ext?.model_type),
      state: str(ext?.state),
      memory_bytes: num(ext?.memory_bytes),
      in_flight: num(ext?.in_flight),
      alias_of: str(ext?.alias_of),
    });
  }
  return out;
}

function errorMessage(body: string): string | null {
  try {
    const parsed = JSON.parse(body);
    return str(parsed?.error?.message) ?? str(parsed?.detail) ?? str(parsed?.error) ?? null;
  } catch {
    return body.trim().slice(0, 200) || null;
  }
}

/**
 * The state an HTTP answer to the probe means. With `listed` (an admin named
 * its models), a server that has no model list (404) but answers is online.
 */
export function classify(
  status: number,
  body: string,
  kind: UpstreamKind,
  latencyMs: number,
  listed = false,
): ProbeResult {
  if (status === 401 || status === 403) {
    const why = errorMessage(body);
    return {
      state: "auth_failed",
      error: `The upstream refused the key (HTTP ${status})${why ? `: ${why}` : ""}`,
      latencyMs,
      models: null,
    };
  }
  if (status === 404 && listed) return { state: "online", error: null, latencyMs, models: null };
  if (status < 200 || status > 299) {
    const why = errorMessage(body);
    return { state: "offline", error: `HTTP ${status}${why ? `: ${why}` : ""}`, latencyMs, models: null };
  }
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(body);
  } catch { /* handled below */ }
  const models = parseModels(parsed, kind);
  if (!models) {
    return {
      state: "offline",
      error:
        "The answer to GET /models is not a model list: is base_url the OpenAI base URL (ending in /v1)?",
      latencyMs,
      models: null,
    };
  }
  return { state: "online", error: null, latencyMs, models };
}

/**
 * Asks the upstream for its models, over the same HTTP client that forwards
 * requests to it: what the probe reaches, a request reaches.
 *
 * @example
 * ```ts
 * const result = await probe({ kind: "openai", baseUrl: "http://127.0.0.1:52415/v1", apiKey: null, timeoutMs: 10_000 });
 * result.state; // "online"
 * ```
 */
export async function probe(target: ProbeTarget): Promise<ProbeResult> {
  const t0 = performance.now();
  const signal = AbortSignal.timeout(target.timeoutMs);
  try {
    const answer = await request({
      url: `${target.baseUrl}/models`,
      headers: {
        accept: "application/json",
        ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}),
      },
      signal,
      connectTimeoutMs: target.timeoutMs,
    });
    const body = await answer.text();
    // A body cut short by the time limit is no answer.
    signal.throwIfAborted();
    return classify(answer.status, body, target.kind, Math.round(performance.now() - t0), target.listed);
  } catch (error) {
    return {
      state: "offline",
      error: `Cannot reach it: ${connectionReason(error)}`,
      latencyMs: null,
      models: null,
    };
  }
}
