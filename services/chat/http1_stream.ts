/**
 * HTTP/1.1 POSTs over kept-alive TCP connections of a small pool, each
 * answer read as text with one reused buffer. A model server sends each SSE event as its own
 * HTTP chunk, and `fetch` hands each chunk to JavaScript as a read of its
 * own (thousands per answer, each through the streams machinery); reading
 * the socket directly gets everything that arrived since the last read in
 * one call, and de-chunks it in place. Closing the connection is the hang-up;
 * a connection goes back to the pool only after an answer read to its end.
 *
 * For `http:` model servers; anything else goes through `fetch`.
 *
 * @module
 */
import { BodyFraming, headEnd as findHeadEnd, parseHead, postBytes } from "../../lib/http1.ts";

const BUFFER_BYTES = 64 * 1024;
const encoder = new TextEncoder();
const MAX_HEAD_BYTES = 64 * 1024;

/** The status, headers and body of a {@link postHttp1} answer. */
export interface Http1Response {
  status: number;
  headers: Headers;
  /** The next decoded text of the body, or null at its end (or once cancelled). */
  read(): Promise<string | null>;
  /** The rest of the body as text. */
  text(): Promise<string>;
  /** Closes the connection; a pending read ends with null. Never throws. */
  cancel(): void;
}

/** Seconds an idle connection is kept: under uvicorn's keep-alive of 5 s, so the server never closes it first. */
const IDLE_MS = 4000;
/** Idle connections kept per server. */
const IDLE_PER_HOST = 8;

interface Idle {
  conn: Deno.TcpConn;
  since: number;
}

/**
 * Kept-alive connections by `host:port`, and the POST that uses them.
 *
 * @example
 * ```ts
 * const pool = new Http1Pool();
 * const res = await pool.post(new URL("http://127.0.0.1:10240/v1/chat/completions"), json, headers, signal);
 * for (let text; (text = await res.read()) !== null;) handle(text);
 * pool.close();
 * ```
 */
export class Http1Pool {
  readonly #idle = new Map<string, Idle[]>();
  #closed = false;

  /** Closes every idle connection; later answers close theirs instead of keeping them. */
  close(): void {
    this.#closed = true;
    for (const list of this.#idle.values()) for (const { conn } of list) closeQuietly(conn);
    this.#idle.clear();
  }

  #take(key: string): Deno.TcpConn | null {
    const list = this.#idle.get(key);
    const now = performance.now();
    while (list?.length) {
      const { conn, since } = list.pop()!;
      if (now - since < IDLE_MS) return conn;
      closeQuietly(conn);
    }
    return null;
  }

  #give(key: string, conn: Deno.TcpConn): void {
    const list = this.#idle.get(key) ?? [];
    if (this.#closed || list.length >= IDLE_PER_HOST) return closeQuietly(conn);
    list.push({ conn, since: performance.now() });
    this.#idle.set(key, list);
  }

  /**
   * Sends `body` to `url` (an `http:` URL) and resolves once the answer's
   * head arrived. Aborting `signal` closes the connection at any point. A
   * kept-alive connection the server closed meanwhile is replaced once.
   */
  async post(
    url: URL,
    body: string,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<Http1Response> {
    signal.throwIfAborted();
    const key = url.host;
    const reused = this.#take(key);
    if (reused) {
      try {
        return await exchange(reused, url, body, headers, signal, (conn) => this.#give(key, conn));
      } catch (error) {
        if (signal.aborted || !(error instanceof StaleConnection)) throw error;
      }
    }
    const hostname = url.hostname.replace(/^\[|\]$/g, "");
    const conn = await Deno.connect({ hostname, port: Number(url.port || 80) });
    return await exchange(conn, url, body, headers, signal, (c) => this.#give(key, c));
  }
}

/** A kept-alive connection closed before any byte of the answer: safe to send again on a new one. */
class StaleConnection extends Error {}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}

async function exchange(
  conn: Deno.TcpConn,
  url: URL,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  keep: (conn: Deno.TcpConn) => void,
): Promise<Http1Response> {
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    closeQuietly(conn);
  };
  const onAbort = () => close();
  signal.addEventListener("abort", onAbort, { once: true });
  if (signal.aborted) close();
  const release = () => signal.removeEventListener("abort", onAbort);
  let received = 0;
  try {
    conn.setNoDelay(true);
    const request = postBytes(
      url.host,
      url.pathname + url.search,
      Object.entries(headers),
      encoder.encode(body),
    );
    for (let sent = 0; sent < request.length;) sent += await conn.write(request.subarray(sent));

    // The head: read until the blank line.
    let buffer = new Uint8Array(BUFFER_BYTES);
    let filled = 0;
    let headEnd = -1;
    while (headEnd < 0) {
      if (filled === buffer.length) {
        if (buffer.length >= MAX_HEAD_BYTES * 2) throw new Error("The answer's head is too large");
        const larger = new Uint8Array(buffer.length * 2);
        larger.set(buffer);
        buffer = larger;
      }
      const n = await conn.read(buffer.subarray(filled));
      if (n === null) throw new Error("Connection closed before an answer");
      filled += n;
      received += n;
      headEnd = findHeadEnd(buffer, filled, Math.max(0, filled - n - 3));
    }
    const { status, headers: responseHeaders, http11 } = parseHead(buffer.subarray(0, headEnd - 4));
    const framing = new BodyFraming(status, responseHeaders);
    const reusable = !framing.untilClose && !/close/i.test(responseHeaders.get("connection") ?? "") && http11;

    const text = new TextDecoder();
    let pending: Uint8Array | null = headEnd < filled ? buffer.slice(headEnd, filled) : null;
    const read = new Uint8Array(buffer.length);
    let ended = false;
    const finish = (): string | null => {
      ended = true;
      release();
      // Back to the pool only when nothing of this answer is left on the connection.
      if (!closed && reusable && framing.complete && pending === null) {
        closed = true;
        keep(conn);
      } else close();
      return text.decode() || null;
    };
    /** The text of one read's bytes, after framing. */
    const decode = (bytes: Uint8Array): string => {
      let out = "";
      framing.push(bytes, (data) => out += text.decode(data, { stream: true }));
      return out;
    };

    const readText = async (): Promise<string | null> => {
      while (!ended) {
        if (closed) {
          finish();
          return null;
        }
        if (framing.complete && pending === null) return finish();
        let bytes: Uint8Array;
        if (pending) {
          bytes = pending;
          pending = null;
        } else {
          let n: number | null;
          try {
            n = await conn.read(read);
          } catch (error) {
            if (closed) {
              finish();
              return null;
            }
            close();
            throw error;
          }
          if (n === null) {
            // A chunked or sized body cut short is the server going away mid-answer.
            if (!framing.untilClose && !framing.complete) {
              close();
              finish();
              throw new Error("The connection closed in the middle of the answer");
            }
            close();
            return finish();
          }
          bytes = read.subarray(0, n);
        }
        const out = decode(bytes);
        if (out) return out;
      }
      return null;
    };
    return {
      status,
      headers: responseHeaders,
      read: readText,
      async text() {
        let all = "";
        for (let part; (part = await readText()) !== null;) all += part;
        return all;
      },
      cancel() {
        ended = true;
        release();
        close();
      },
    };
  } catch (error) {
    release();
    close();
    if (
      received === 0 && !signal.aborted &&
      !(error instanceof Error && /too large|Not an HTTP/.test(error.message))
    ) {
      throw new StaleConnection(error instanceof Error ? error.message : String(error), { cause: error });
    }
    throw error;
  }
}
