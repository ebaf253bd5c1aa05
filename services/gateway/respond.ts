/**
 * Answering with what the server answered: an error body put into OpenAI's
 * shape, or the body passed through unchanged while an observer beside the
 * stream notes the first token and the usage for the activity row, which is
 * written when the body ends.
 *
 * @module
 */
import { REFUSALS, upstreamAuthFailed } from "./errors.ts";
import { normalizeUpstreamError } from "./upstream_errors.ts";
import { estimateTokens, observeJson, SseObserver } from "./observer.ts";
import { jsonFigures, streamFigures } from "./measure.ts";
import { type Cut, passthrough } from "./passthrough.ts";
import { concat, type ParsedBody } from "./body.ts";
import { responseHeaders } from "./headers.ts";
import type { Opened } from "./open.ts";
import type { RequestRecord } from "./record.ts";

/** The most of a JSON answer kept to read its usage. */
const MAX_OBSERVED = 1_048_576;

/** What {@link respond} needs besides the opened request. */
export interface RespondContext {
  record: RequestRecord;
  parsed: ParsedBody;
  /** The reason when the gateway itself ended the request. */
  cutReason(): Cut | null;
  /** Called once the answer ended in any way. */
  done(): void;
  /** The upstream's name when the answer comes from another machine. */
  upstream: string | null;
  /** Milliseconds the client may leave the answer unread before it is dropped. @default never */
  stallMs?: number;
}

/**
 * The client's answer to an opened request.
 *
 * @example
 * ```ts
 * return await respond(await openLocal(source, ctx, deps), { record, parsed, cutReason, done });
 * ```
 */
export async function respond(opened: Opened, ctx: RespondContext): Promise<Response> {
  const { response: upstream } = opened;
  const { record, parsed } = ctx;
  const end = () => {
    opened.release();
    ctx.done();
  };
  const headers = responseHeaders(upstream.headers, record.id);
  if (upstream.status < 200 || upstream.status > 299) {
    const text = await new Response(upstream.body).text().catch(() => "");
    end();
    let { status, body } = normalizeUpstreamError(upstream.status, text);
    // The upstream refusing this manager's key is not the caller's key being wrong.
    if (ctx.upstream && (status === 401 || status === 403)) {
      const refused = upstreamAuthFailed(ctx.upstream, upstream.status, body.error.message);
      status = refused.status;
      body = refused.body();
    }
    headers.set("content-type", "application/json");
    headers.delete("content-length");
    headers.set("x-mlx-manager-error-source", "upstream");
    record.finish(status, "upstream_error");
    return new Response(JSON.stringify(body), { status, headers });
  }

  const sse = (upstream.headers.get("content-type") ?? "").startsWith("text/event-stream");
  const observer = sse ? new SseObserver() : null;
  const collected: Uint8Array[] = [];
  let collectedBytes = 0;
  const promptEstimate = () =>
    parsed.json ? estimateTokens(JSON.stringify(parsed.json.messages ?? parsed.json.input ?? "")) : null;
  const body = passthrough(upstream.body, {
    sse,
    onChunk: observer ? (chunk) => observer.feed(chunk) : (chunk) => {
      if (collectedBytes < MAX_OBSERVED) {
        collected.push(chunk);
        collectedBytes += chunk.byteLength;
      }
    },
    cutReason: ctx.cutReason,
    stallMs: ctx.stallMs,
    onEnd: (how) => {
      end();
      const times = { received: record.t0, sent: opened.sentAt, ended: performance.now() };
      let upstreamError: string | null;
      if (observer) {
        upstreamError = observer.observation.error;
        Object.assign(record.row, streamFigures(observer.observation, times, promptEstimate));
      } else {
        const seen = observeJson(
          collectedBytes < MAX_OBSERVED ? new TextDecoder().decode(concat(collected)) : "",
        );
        upstreamError = seen.error;
        Object.assign(record.row, jsonFigures(seen.usage, times));
      }
      // A client that stops reading at the server's error frame (as the openai client does) did not cause it.
      if (how === "client_closed" && upstreamError) return record.finish(upstream.status, "upstream_error");
      if (how === "client_closed") return record.finish(REFUSALS.client_closed.status, "client_closed");
      if (how === "cut") return record.finish(upstream.status, "api_key_revoked");
      if (how === "upstream_crashed") return record.finish(upstream.status, "upstream_crashed");
      record.finish(upstream.status, upstreamError ? "upstream_error" : "ok");
    },
  });
  return new Response(body, { status: upstream.status, headers });
}
