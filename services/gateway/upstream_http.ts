/**
 * One HTTP/1.1 request to a model server over a plain TCP connection. The
 * answer's body is handed on one chunk per socket read: what the kernel has
 * gathered arrives together, so a fast stream costs one read and one write per
 * batch of frames rather than per frame (`fetch` hands on one chunk per HTTP
 * chunk, which halves the throughput of an unpaced stream). Only the
 * transfer framing (chunked encoding) is removed; the payload bytes are never
 * touched.
 *
 * @module
 */
import { BodyFraming, headEnd, parseHead, postBytes } from "../../lib/http1.ts";

/** An answer's head, and its body as a stream. */
export interface UpstreamResponse {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array>;
}

/** What {@link request} sends. */
export interface UpstreamRequest {
  /** e.g. `http://127.0.0.1:10240` or `https://studio.example:8443`; only its origin is used. */
  baseUrl: string;
  path: string;
  headers: Headers;
  body: Uint8Array;
  /** Aborting closes the connection at once (before or during the body). */
  signal: AbortSignal;
  /** How long opening the connection may take. @default no limit but the signal */
  connectTimeoutMs?: number;
  /**
   * How long the answer's head may take once connected; then the connection
   * is closed and the request fails with a {@link HeadersTimeoutError}.
   * @default no limit but the signal
   */
  headersTimeoutMs?: number;
}

/**
 * The connection could not be opened: nothing of the request was sent, so
 * another server may be tried with it.
 */
export class ConnectError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConnectError";
  }
}

/** The server accepted the request but sent no answer head in time; the connection was closed. */
export class HeadersTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`);
    this.name = "HeadersTimeoutError";
  }
}

async function connect(url: URL, req: UpstreamRequest): Promise<Deno.Conn> {
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const tls = url.protocol === "https:";
  const port = Number(url.port || (tls ? 443 : 80));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const opening = tls ? Deno.connectTls({ hostname, port }) : Deno.connect({ hostname, port });
  const limits: Promise<never>[] = [
    new Promise((_, reject) => {
      if (req.connectTimeoutMs !== undefined) {
        timer = setTimeout(
          () => reject(new ConnectError(`no connection within ${req.connectTimeoutMs! / 1000} s`)),
          req.connectTimeoutMs,
        );
      }
    }),
    new Promise((_, reject) => {
      const onAbort = () => reject(req.signal.reason);
      req.signal.addEventListener("abort", onAbort, { once: true });
      opening.finally(() => req.signal.removeEventListener("abort", onAbort)).catch(() => {});
    }),
  ];
  try {
    return await Promise.race([
      opening.catch((error) => {
        throw new ConnectError(reasonText(error), { cause: error });
      }),
      ...limits,
    ]);
  } catch (error) {
    // A connection that opens after the timeout or the abort is closed, not leaked.
    opening.then((conn) => conn.close()).catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function reasonText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(": ").at(-1)!.replace(/\s*\(os error \d+\)$/, "").slice(0, 160);
}

/**
 * Bytes asked of the socket per read: a paced model stream never fills the
 * smallest, so a connection holds only that much; a read that fills its buffer
 * (an unpaced stream, a large answer) doubles it, up to the largest.
 */
export const READ_SIZES = { min: 4096, max: 32768 } as const;

/** The buffer for the next read: twice as large when the last read filled this one. */
export function nextReadBuffer(buffer: Uint8Array<ArrayBuffer>, filled: number): Uint8Array<ArrayBuffer> {
  if (filled < buffer.length || buffer.length >= READ_SIZES.max) return buffer;
  return new Uint8Array(Math.min(READ_SIZES.max, buffer.length * 2));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Sends the request and resolves with the answer's head once it arrived.
 *
 * @throws {ConnectError} when the connection cannot be opened (nothing was sent);
 *   another error when the server closes before answering, or the signal's reason when it aborts first
 *
 * @example
 * ```ts
 * const res = await request({ baseUrl, path: "/v1/chat/completions", headers, body, signal });
 * for await (const chunk of res.body) write(chunk);
 * ```
 */
export async function request(req: UpstreamRequest): Promise<UpstreamResponse> {
  const url = new URL(req.baseUrl);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`Only http(s) servers are supported, not ${url.protocol}`);
  }
  req.signal.throwIfAborted();
  const conn = await connect(url, req);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  const onAbort = () => close();
  req.signal.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  // Closing the connection ends the pending read, which then reports the timeout.
  const headersTimer = req.headersTimeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    close();
  }, req.headersTimeoutMs);
  try {
    const headers = [...req.headers, ["connection", "close"]] as [string, string][];
    await conn.write(postBytes(url.host, req.path, headers, req.body));

    let buffer: Uint8Array = new Uint8Array();
    let end = -1;
    // One read buffer per connection; what is handed on is copied out of it.
    let chunk = new Uint8Array(READ_SIZES.min);
    while (end === -1) {
      const n = await conn.read(chunk).catch((error) => {
        if (timedOut) return null;
        throw error;
      });
      if (timedOut) throw new HeadersTimeoutError(req.headersTimeoutMs!);
      if (n === null) throw new Error("The server closed the connection before answering");
      buffer = concat(buffer, chunk.slice(0, n));
      chunk = nextReadBuffer(chunk, n);
      end = headEnd(buffer, buffer.length, Math.max(0, buffer.length - n - 3));
    }
    clearTimeout(headersTimer);
    const { status, headers: answerHeaders } = parseHead(buffer.subarray(0, end - 4));
    const rest = buffer.subarray(end);
    const framing = new BodyFraming(status, answerHeaders);
    let pending: Uint8Array | null = rest.length ? rest : null;

    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        while (true) {
          if (framing.complete) {
            close();
            req.signal.removeEventListener("abort", onAbort);
            controller.close();
            return;
          }
          let raw: Uint8Array;
          if (pending) {
            raw = pending;
            pending = null;
          } else {
            let n: number | null;
            try {
              n = await conn.read(chunk);
            } catch (error) {
              close();
              throw req.signal.aborted ? req.signal.reason : error;
            }
            if (n === null) {
              close();
              if (req.signal.aborted) throw req.signal.reason;
              // Without chunking or a length, the body ends with the connection.
              if (!framing.untilClose) throw new Error("The server closed the connection mid-answer");
              controller.close();
              return;
            }
            raw = chunk.subarray(0, n);
          }
          const out = framing.decode(raw);
          if (raw.buffer === chunk.buffer) chunk = nextReadBuffer(chunk, raw.length);
          if (out.length > 0) {
            controller.enqueue(out);
            return;
          }
        }
      },
      cancel() {
        close();
        req.signal.removeEventListener("abort", onAbort);
      },
    }, { highWaterMark: 0 });
    return { status, headers: answerHeaders, body };
  } catch (error) {
    clearTimeout(headersTimer);
    close();
    req.signal.removeEventListener("abort", onAbort);
    if (timedOut && !req.signal.aborted) throw new HeadersTimeoutError(req.headersTimeoutMs!);
    throw req.signal.aborted ? req.signal.reason : error;
  }
}
