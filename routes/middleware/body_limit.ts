/**
 * Request body limits that hold whatever the framing: a declared
 * `Content-Length` over the limit is refused before reading, and every body
 * (chunked ones too) is read through a counter that stops reading and fails
 * with a 413 as soon as the limit is passed.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "../../lib/errors.ts";
import { sizeText } from "../../lib/body_limits.ts";

/** The 413 answered for a body over `limit` bytes. */
function bodyTooLarge(limit: number): HttpError {
  return new HttpError(413, `Cannot read body: it is larger than ${sizeText(limit)}`, { code: "too_large" });
}

/**
 * Wraps `body` so reading it fails with a 413 once more than `limit` bytes
 * came in; the source is cancelled then, so nothing more is read.
 */
function limitStream(
  body: ReadableStream<Uint8Array>,
  limit: number,
  onExceeded: () => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen > limit) {
        const error = bodyTooLarge(limit);
        onExceeded();
        controller.error(error);
        await reader.cancel(error).catch(() => {});
        return;
      }
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/**
 * Limits every request body to `limitFor(path)` bytes; a path whose limit is
 * `Infinity` reads (and limits) its body itself.
 *
 * @example
 * ```ts
 * app.use(bodyLimit(bodyLimitFor)); // the table in lib/body_limits.ts
 * ```
 */
export function bodyLimit(limitFor: (path: string) => number): MiddlewareHandler {
  return async function bodyLimit(c, next) {
    const body = c.req.raw.body;
    if (!body) return await next();
    const limit = limitFor(c.req.path);
    // A route that enforces its own limits (and answers in its own shape) opts out.
    if (limit === Infinity) return await next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && !(Number(declared) <= limit)) throw bodyTooLarge(limit);
    // A declared length the server frames the body by is the body's size: the HTTP server reads
    // no more than it. Only a body without one (chunked) needs counting as it is read.
    if (declared !== undefined && /^\d+$/.test(declared) && !c.req.header("transfer-encoding")) {
      return await next();
    }
    let exceeded = false;
    const limited = limitStream(body, limit, () => exceeded = true);
    c.req.raw = new Request(c.req.raw, { body: limited, duplex: "half" } as RequestInit);
    await next();
    // A handler may have taken the failed read for bad input: the limit is the answer.
    if (exceeded) throw bodyTooLarge(limit);
  };
}
