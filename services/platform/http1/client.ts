/**
 * The HTTP/1.1 client of every hop to a model server or an upstream: one
 * request per connection, or kept-alive connections of a small pool. It
 * writes the request (bytes in one write, or a stream in chunks), reads the
 * answer's head with a size cap and a time limit, and hands on the body as
 * it arrives ({@link Http1Answer}). Aborting the request's signal closes its
 * connection at any point.
 *
 * @module
 */
import { type AnswerHead, headEnd, parseHead, requestBytes } from "./head.ts";
import { BodyFraming } from "./framing.ts";
import { Http1Answer, Link, READ_SIZES } from "./answer.ts";
import { closeQuietly, connect } from "./connect.ts";
import { ClosedError, HeadersTimeoutError, HeadTooLargeError, Http1Error } from "./errors.ts";

/** The largest answer head read by default: a model server's is a few hundred bytes. */
export const MAX_HEAD_BYTES = 64 * 1024;
/** Milliseconds an idle connection is kept: under uvicorn's keep-alive of 5 s, so the server never closes it first. */
const IDLE_MS = 4000;
/** Idle connections kept per server. */
const IDLE_PER_HOST = 8;
/** Request headers the client writes itself. */
const OWN_HEADERS = new Set(["host", "connection", "content-length", "transfer-encoding"]);
const encoder = new TextEncoder();

/** One request. */
export interface Http1Request {
  /** The whole URL, `http:` or `https:` (path and query included). */
  url: string | URL;
  /** @default "POST" with a body, "GET" without */
  method?: string;
  headers?: Headers | Record<string, string> | [string, string][];
  /**
   * Bytes or text go in one write with their length; a stream goes in chunks
   * (with the caller's `content-length` when it gives one) and always on a
   * connection of its own, since it cannot be sent twice.
   */
  body?: Uint8Array | string | ReadableStream<Uint8Array> | null;
  /** Aborting closes the connection at once (before or during the body). */
  signal?: AbortSignal;
  /** How long opening the connection may take. @default no limit but the signal */
  connectTimeoutMs?: number;
  /**
   * How long the answer's head may take once the request was sent; then the
   * connection is closed and the request fails with a {@link HeadersTimeoutError}.
   * @default no limit but the signal
   */
  headersTimeoutMs?: number;
}

/** Options of an {@link Http1Client}. */
export interface Http1ClientOptions {
  /** Keep connections after a whole answer and reuse them. @default false */
  keepAlive?: boolean;
  /** Root certificates (PEM) trusted for `https:` besides the default ones. */
  caCerts?: string[];
  /** The largest answer head read; a larger one fails with {@link HeadTooLargeError}. @default MAX_HEAD_BYTES */
  maxHeadBytes?: number;
}

/** A kept-alive connection closed before any byte of the answer: safe to send again on a new one. */
class StaleConnection extends Error {}

interface Idle {
  conn: Deno.Conn;
  since: number;
}

/** What one exchange needs besides the request. */
interface Exchange {
  url: URL;
  method: string;
  headers: [string, string][];
  body: Uint8Array | ReadableStream<Uint8Array> | null;
  maxHeadBytes: number;
  keep: ((conn: Deno.Conn) => void) | null;
  reused: boolean;
}

/**
 * HTTP/1.1 requests, optionally over kept-alive connections.
 *
 * @example
 * ```ts
 * const client = new Http1Client({ keepAlive: true });
 * const answer = await client.request({ url: "http://127.0.0.1:10240/v1/chat/completions", body: json, signal });
 * for (let text; (text = await answer.read()) !== null;) handle(text);
 * client.close();
 * ```
 */
export class Http1Client {
  readonly #idle = new Map<string, Idle[]>();
  readonly #keepAlive: boolean;
  readonly #caCerts: string[] | undefined;
  readonly #maxHeadBytes: number;
  #closed = false;

  constructor(options: Http1ClientOptions = {}) {
    const { keepAlive = false, caCerts, maxHeadBytes = MAX_HEAD_BYTES } = options;
    this.#keepAlive = keepAlive;
    this.#caCerts = caCerts;
    this.#maxHeadBytes = maxHeadBytes;
  }

  /** Closes every idle connection; later answers close theirs instead of keeping them. */
  close(): void {
    this.#closed = true;
    for (const list of this.#idle.values()) for (const { conn } of list) closeQuietly(conn);
    this.#idle.clear();
  }

  #take(key: string): Deno.Conn | null {
    const list = this.#idle.get(key);
    const now = performance.now();
    while (list?.length) {
      const { conn, since } = list.pop()!;
      if (now - since < IDLE_MS) return conn;
      closeQuietly(conn);
    }
    return null;
  }

  #give(key: string, conn: Deno.Conn): void {
    const list = this.#idle.get(key) ?? [];
    if (this.#closed || list.length >= IDLE_PER_HOST) return closeQuietly(conn);
    list.push({ conn, since: performance.now() });
    this.#idle.set(key, list);
  }

  /**
   * Sends the request and resolves with the answer once its head arrived. A
   * kept-alive connection the server closed meanwhile is replaced once.
   *
   * @throws {ConnectError} when the connection cannot be opened (nothing was sent);
   *   {@link HeadersTimeoutError}, {@link HeadTooLargeError}, {@link ClosedError} or
   *   `MalformedAnswerError` for the answer's head; the signal's reason when it aborts first
   */
  async request(req: Http1Request): Promise<Http1Answer> {
    const url = typeof req.url === "string" ? new URL(req.url) : req.url;
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new TypeError(`Only http(s) servers are supported, not ${url.protocol}`);
    }
    req.signal?.throwIfAborted();
    const key = `${url.protocol}//${url.host}`;
    const body = typeof req.body === "string" ? encoder.encode(req.body) : req.body ?? null;
    const headers: [string, string][] = [];
    for (const [name, value] of new Headers(req.headers)) {
      if (!OWN_HEADERS.has(name) || (name === "content-length" && body instanceof ReadableStream)) {
        headers.push([name, value]);
      }
    }
    if (!this.#keepAlive) headers.push(["connection", "close"]);
    const exchange: Exchange = {
      url,
      method: req.method ?? (body ? "POST" : "GET"),
      headers,
      body,
      maxHeadBytes: this.#maxHeadBytes,
      keep: this.#keepAlive ? (conn) => this.#give(key, conn) : null,
      reused: false,
    };
    if (this.#keepAlive && !(body instanceof ReadableStream)) {
      const reused = this.#take(key);
      if (reused) {
        try {
          return await exchangeOn(reused, req, { ...exchange, reused: true });
        } catch (error) {
          if (!(error instanceof StaleConnection)) throw error;
        }
      }
    }
    const conn = await connect(url, {
      signal: req.signal,
      timeoutMs: req.connectTimeoutMs,
      caCerts: this.#caCerts,
    });
    return await exchangeOn(conn, req, exchange);
  }
}

/**
 * One request on a connection of its own, closed once the answer ended.
 *
 * @example
 * ```ts
 * const answer = await request({ url: `${baseUrl}/v1/chat/completions`, headers, body, signal });
 * return new Response(answer.body, { status: answer.status, headers: answer.headers });
 * ```
 */
export function request(
  req: Http1Request,
  options: Omit<Http1ClientOptions, "keepAlive"> = {},
): Promise<Http1Answer> {
  return new Http1Client(options).request(req);
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let sent = 0; sent < bytes.length;) sent += await conn.write(bytes.subarray(sent));
}

/**
 * Writes a stream body, in chunks unless its length was declared. A failed
 * write is the server going away ({@link ClosedError}); a failed read is the
 * source's own error, passed on as it is.
 */
async function writeStream(
  conn: Deno.Conn,
  body: ReadableStream<Uint8Array>,
  chunked: boolean,
): Promise<void> {
  const reader = body.getReader();
  const write = (bytes: Uint8Array) =>
    writeAll(conn, bytes).catch((error) => {
      throw new ClosedError("before_answer", { cause: error });
    });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!value.length) continue;
      if (!chunked) {
        await write(value);
        continue;
      }
      const size = encoder.encode(`${value.length.toString(16)}\r\n`);
      const framed = new Uint8Array(size.length + value.length + 2);
      framed.set(size);
      framed.set(value, size.length);
      framed.set([13, 10], size.length + value.length);
      await write(framed);
    }
    if (chunked) await write(encoder.encode("0\r\n\r\n"));
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    throw error;
  }
}

/** Sends the request on `conn` and reads the answer's head. */
async function exchangeOn(conn: Deno.Conn, req: Http1Request, ex: Exchange): Promise<Http1Answer> {
  const { signal } = req;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => link.close("abort");
  const link = new Link(conn, signal, ex.keep, () => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  });
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) link.close("abort");
  let answered = false;
  // Closing the connection ends the pending read, which then reports the timeout.
  const armTimer = () => {
    if (req.headersTimeoutMs !== undefined && !link.endedBy && !answered) {
      timer = setTimeout(() => link.close("timeout"), req.headersTimeoutMs);
    }
  };
  let received = 0;
  let sent = false;
  let sendError: unknown = null;
  try {
    const target = ex.url.pathname + ex.url.search;
    const { body } = ex;
    if (body instanceof ReadableStream) {
      const declared = ex.headers.some(([name]) => name === "content-length");
      await writeAll(
        conn,
        requestBytes(ex.method, ex.url.host, target, ex.headers, declared ? null : "chunked"),
      );
      // The answer may begin before the upload ends (a refusal); a write that fails then is not the answer's failure.
      writeStream(conn, body, !declared).then(() => {
        sent = true;
        armTimer();
      }, (error) => {
        sendError = error;
        if (received === 0) link.close("error");
      });
    } else {
      await writeAll(conn, requestBytes(ex.method, ex.url.host, target, ex.headers, body));
      sent = true;
      armTimer();
    }

    const read = await readHead(conn, ex.maxHeadBytes, (n) => received += n);
    answered = true;
    clearTimeout(timer);
    const framing = new BodyFraming(read.head.status, read.head.headers);
    const reusable = read.head.http11 && !framing.untilClose &&
      !/\bclose\b/i.test(read.head.headers.get("connection") ?? "");
    const pending = read.end < read.filled ? read.buffer.subarray(read.end, read.filled) : null;
    return new Http1Answer({
      link,
      status: read.head.status,
      headers: read.head.headers,
      framing,
      pending,
      // A buffer grown for a large head is not kept for the body.
      buffer: read.buffer.length > READ_SIZES.max ? new Uint8Array(READ_SIZES.max) : read.buffer,
      // A stream body not sent whole leaves the connection out of step.
      reusable: reusable && (sent || !(body instanceof ReadableStream)),
    });
  } catch (error) {
    const endedBy = link.endedBy;
    link.close("error");
    if (endedBy === "abort") throw signal!.reason;
    if (endedBy === "timeout") throw new HeadersTimeoutError(req.headersTimeoutMs!);
    if (sendError !== null) throw sendError;
    if (ex.reused && received === 0 && !(error instanceof HeadTooLargeError)) {
      throw new StaleConnection("stale kept-alive connection", { cause: error });
    }
    if (error instanceof Http1Error) throw error;
    throw new ClosedError("before_answer", { cause: error });
  }
}

/** The head of an answer, and the read buffer that holds it and what followed it. */
interface ReadHead {
  head: AnswerHead;
  buffer: Uint8Array<ArrayBuffer>;
  /** Where the head ends in the buffer. */
  end: number;
  /** How much of the buffer was read. */
  filled: number;
}

/** Reads until the head's blank line, never holding more than `maxHeadBytes`. */
async function readHead(
  conn: Deno.Conn,
  maxHeadBytes: number,
  onRead: (n: number) => void,
): Promise<ReadHead> {
  let buffer = new Uint8Array(Math.min(READ_SIZES.min, maxHeadBytes));
  let filled = 0;
  let end = -1;
  while (end < 0) {
    if (filled === buffer.length) {
      if (buffer.length >= maxHeadBytes) throw new HeadTooLargeError(maxHeadBytes);
      const larger = new Uint8Array(Math.min(maxHeadBytes, buffer.length * 2));
      larger.set(buffer);
      buffer = larger;
    }
    const n = await conn.read(buffer.subarray(filled));
    if (n === null) throw new ClosedError("before_answer");
    onRead(n);
    filled += n;
    end = headEnd(buffer, filled, Math.max(0, filled - n - 3));
  }
  return { head: parseHead(buffer.subarray(0, end - 4)), buffer, end, filled };
}
