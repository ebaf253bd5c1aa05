/**
 * One streamed request to a model server's `/v1/chat/completions`: sends it
 * over the shared HTTP client, reads the SSE answer as it arrives, hands the
 * events on in batches, and turns every way it can fail into one message a
 * person can act on.
 *
 * @module
 */
import type { ChatEvent } from "../../lib/chat/types.ts";
import { SseDataDecoder } from "../../lib/chat/sse_decoder.ts";
import { pushEvent, RoundState } from "./round_state.ts";
import { EventBatcher } from "./event_batcher.ts";
import { IdleTimer } from "./idle_timer.ts";
import { ConnectError, connectionReason, type Http1Answer, Http1Client } from "../platform/http1/mod.ts";
import { readUpstreamError } from "../platform/upstream_error.ts";

/** Milliseconds events are held after a write, so a fast stream is sent in few writes. */
export const COALESCE_MS = 4;

/** What {@link streamRound} needs. */
export interface RoundRequest {
  /** The server's base URL, e.g. `http://127.0.0.1:10240`. */
  baseUrl: string;
  /** The OpenAI request body (`stream: true` is set here). */
  body: Record<string, unknown>;
  /** The client with kept-alive connections; one of its own, closed at the end, when absent. */
  client?: Http1Client;
  /** Milliseconds the server may stay silent (before answering or between chunks). */
  idleTimeoutMs: number;
  /** Aborting it (Stop, or the browser went away) closes the upstream request. */
  signal: AbortSignal;
  /**
   * Receives events as they are decoded: the first at once, later ones
   * gathered over {@link RoundRequest.coalesceMs}.
   */
  onEvents: (events: ChatEvent[]) => void;
  /** Milliseconds to gather events after a write; 0 sends each read's events at once. @default COALESCE_MS */
  coalesceMs?: number;
  /** The clock. @default performance.now */
  now?: () => number;
}

/** How a round ended. */
export interface RoundOutcome {
  state: RoundState;
  /** Why the round failed, in words for the person; null when it did not. */
  error: string | null;
  /** True when the caller aborted it. */
  aborted: boolean;
  startedAt: number;
  endedAt: number;
}

/**
 * Describes a non-200 answer, reading the shapes mlx-openai-server and FastAPI use.
 *
 * @example
 * ```ts
 * describeHttpError(404, '{"detail":"Not Found"}'); // "The model server refused the request (HTTP 404): Not Found"
 * ```
 */
export function describeHttpError(status: number, text: string): string {
  const detail = readUpstreamError(text).message;
  const reason = status === 429 ? "is busy" : status >= 500 ? "failed" : "refused the request";
  return `The model server ${reason} (HTTP ${status})${detail ? `: ${detail}` : ""}`;
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/** Sends the request over the shared client's kept-alive connections. */
function send(request: RoundRequest, client: Http1Client, signal: AbortSignal): Promise<Http1Answer> {
  return client.request({
    url: `${request.baseUrl}/v1/chat/completions`,
    body: JSON.stringify({ ...request.body, stream: true }),
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    signal,
  });
}

/**
 * Streams one completion. Never throws for network or protocol failures:
 * they come back as {@link RoundOutcome.error}.
 *
 * @example
 * ```ts
 * const outcome = await streamRound({
 *   baseUrl: "http://127.0.0.1:10240",
 *   body: { model: "m", messages: [{ role: "user", content: "Hi" }] },
 *   idleTimeoutMs: 300_000,
 *   signal: AbortSignal.timeout(60_000),
 *   onEvents: (events) => events.forEach(send),
 * });
 * ```
 */
export async function streamRound(request: RoundRequest): Promise<RoundOutcome> {
  const now = request.now ?? (() => performance.now());
  const state = new RoundState(now);
  const startedAt = now();
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  request.signal.addEventListener("abort", onAbort, { once: true });
  const idle = new IdleTimer(request.idleTimeoutMs, () => controller.abort());
  const batcher = new EventBatcher(request.coalesceMs ?? COALESCE_MS, request.onEvents);
  const seconds = Math.round(request.idleTimeoutMs / 100) / 10;
  const host = hostOf(request.baseUrl);
  const client = request.client ?? new Http1Client({ keepAlive: true });
  const finish = (error: string | null): RoundOutcome => {
    idle.stop();
    if (!request.client) client.close();
    request.signal.removeEventListener("abort", onAbort);
    const aborted = request.signal.aborted && !idle.fired;
    if (aborted) batcher.discard();
    else {
      batcher.flush();
      const tail = state.end();
      if (tail.length) request.onEvents(tail);
    }
    return { state, error: aborted ? null : error, aborted, startedAt, endedAt: now() };
  };
  const failure = (error: unknown, stage: "connect" | "read"): string => {
    if (idle.fired) {
      return `Request timed out: the model server sent nothing for ${seconds} s. ` +
        "It may still be busy with a long request";
    }
    if (stage === "connect") {
      if (!(error instanceof ConnectError)) {
        return `The MLX server at ${host} did not answer the request (${connectionReason(error)})`;
      }
      return `Failed to connect to the MLX server at ${host}: it is not running or is still loading ` +
        `(${connectionReason(error)})`;
    }
    return "The model server stopped in the middle of the answer: it may have crashed. " +
      "Check its log on the Servers page";
  };

  idle.touch();
  let reader: Http1Answer;
  try {
    reader = await send(request, client, controller.signal);
  } catch (error) {
    return finish(failure(error, "connect"));
  }

  if (reader.status < 200 || reader.status > 299) {
    let text = "";
    try {
      idle.touch();
      text = await reader.text();
    } catch { /* the status says enough */ }
    reader.cancel();
    return finish(describeHttpError(reader.status, text));
  }

  // A server that ignores `stream: true` answers with one JSON completion.
  if (!(reader.headers.get("content-type") ?? "").includes("text/event-stream")) {
    try {
      idle.touch();
      const body = JSON.parse(await reader.text());
      request.onEvents(state.feedChunk(body));
      return finish(state.error && `The model server reported an error: ${state.error}`);
    } catch (error) {
      reader.cancel();
      return finish(failure(error, "read"));
    }
  }

  const decoder = new SseDataDecoder();
  let done = false;
  try {
    while (!done) {
      idle.touch();
      const text = await reader.read();
      if (controller.signal.aborted) break;
      const payloads = text === null ? decoder.end() : decoder.push(text);
      const events: ChatEvent[] = [];
      for (const payload of payloads) {
        if (payload.trim() === "[DONE]") {
          done = true;
          break;
        }
        for (const event of state.feed(payload)) pushEvent(events, event);
        if (state.error) break;
      }
      batcher.push(events);
      if (state.error) {
        reader.cancel();
        return finish(`The model server reported an error: ${state.error}`);
      }
      if (text === null) break;
    }
  } catch (error) {
    reader.cancel();
    return finish(failure(error, "read"));
  }
  if (controller.signal.aborted) {
    // Stop, the browser going away or the idle timeout: hang up now, whatever is still buffered.
    reader.cancel();
    return finish(failure(null, "read"));
  }
  if (done) {
    // Read to the end rather than cancel, so the connection can go back to the pool.
    try {
      idle.touch();
      while ((await reader.read()) !== null && !controller.signal.aborted) idle.touch();
    } catch { /* the answer is complete; a late hang-up does not matter */ }
    if (controller.signal.aborted) reader.cancel();
  }
  // The final chunk carries the finish reason; a stream cut before it is a crash.
  if (!done && state.finishReason === null) return finish(failure(null, "read"));
  return finish(null);
}
