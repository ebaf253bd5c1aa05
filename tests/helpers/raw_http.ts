/**
 * HTTP/1.1 by hand over a TCP socket, for framings `fetch` does not let a
 * test choose: a chunked body of any size, written until the server answers.
 *
 * @module
 */

/** What {@link sendChunked} saw. */
export interface ChunkedResult {
  /** The response status, or 0 when the connection ended without one. */
  status: number;
  /** The response head and as much of the body as arrived. */
  response: string;
  /** Body bytes the socket accepted before the server answered or closed. */
  sent: number;
}

/**
 * Sends `total` body bytes with `Transfer-Encoding: chunked` to `url` and
 * stops as soon as the server answers (or stops reading).
 *
 * @example
 * ```ts
 * const { status, sent } = await sendChunked(`${url}/api/auth/register`, 200 * 1024 * 1024);
 * ```
 */
export async function sendChunked(
  url: string,
  total: number,
  options: { method?: string; headers?: Record<string, string>; chunk?: number } = {},
): Promise<ChunkedResult> {
  const target = new URL(url);
  const conn = await Deno.connect({ hostname: target.hostname, port: Number(target.port) });
  const encoder = new TextEncoder();
  const headers = {
    host: target.host,
    "content-type": "application/json",
    "transfer-encoding": "chunked",
    ...options.headers,
  };
  const head = `${options.method ?? "POST"} ${target.pathname}${target.search} HTTP/1.1\r\n` +
    Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("") + "\r\n";
  let response = "";
  let answered = false;
  const reading = (async () => {
    const buffer = new Uint8Array(16 * 1024);
    const decoder = new TextDecoder();
    try {
      while (true) {
        const n = await conn.read(buffer);
        if (n === null) break;
        response += decoder.decode(buffer.subarray(0, n), { stream: true });
        const end = response.indexOf("\r\n\r\n");
        if (end < 0) continue;
        answered = true;
        const length = Number(response.slice(0, end).match(/content-length: (\d+)/i)?.[1] ?? 0);
        if (response.length >= end + 4 + length) break;
      }
    } catch { /* reset by the server */ }
    answered = true;
  })();
  // write() may take part of a buffer: write the rest too, or the chunk framing breaks.
  const writeAll = async (bytes: Uint8Array) => {
    for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
  };
  let sent = 0;
  try {
    await writeAll(encoder.encode(head));
    // A JSON string that never ends: a body no parser can finish before reading all of it.
    await writeAll(encoder.encode(`1\r\n"\r\n`));
    const size = options.chunk ?? 64 * 1024;
    const frame = new Uint8Array([
      ...encoder.encode(`${size.toString(16)}\r\n`),
      ...new Uint8Array(size).fill(0x61),
      13,
      10,
    ]);
    while (sent < total && !answered) {
      await writeAll(frame);
      sent += size;
    }
    if (!answered) await writeAll(encoder.encode("0\r\n\r\n"));
  } catch { /* the server closed the connection */ }
  const timeout = setTimeout(() => conn.close(), 10_000);
  await reading.catch(() => {});
  clearTimeout(timeout);
  try {
    conn.close();
  } catch { /* already closed */ }
  const status = Number(response.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);
  return { status, response, sent };
}

/**
 * Opens a TCP connection to `url`'s host and writes `text` (a request head,
 * perhaps with part of a body), leaving the rest to the test.
 *
 * @example
 * ```ts
 * const conn = await rawSend(url, "GET /health HTTP/1.1\r\nhost: x\r\n"); // a head that never ends
 * ```
 */
export async function rawSend(url: string, text: string | Uint8Array = ""): Promise<Deno.TcpConn> {
  const target = new URL(url);
  const conn = await Deno.connect({ hostname: target.hostname, port: Number(target.port) });
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
  return conn;
}

/** What {@link readUntilClosed} saw. */
export interface ReadOutcome {
  /** Whether the server closed (or reset) the connection before the wait ended. */
  closed: boolean;
  /** The bytes read. */
  bytes: number;
  /** The first bytes read, as text. */
  head: string;
  /** Milliseconds until it closed, or the whole wait. */
  ms: number;
}

/**
 * Reads `conn` until the server closes it or `waitMs` passes, then closes it
 * on this side.
 */
export async function readUntilClosed(conn: Deno.Conn, waitMs: number): Promise<ReadOutcome> {
  const started = performance.now();
  const buffer = new Uint8Array(256 * 1024);
  let bytes = 0;
  let head = "";
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<"expired">((resolve) => timer = setTimeout(() => resolve("expired"), waitMs));
  while (true) {
    const n = await Promise.race([conn.read(buffer).catch(() => null), expired]);
    if (n === "expired") break;
    if (n === null) {
      closed = true;
      break;
    }
    if (head.length < 4096) head += new TextDecoder().decode(buffer.subarray(0, Math.min(n, 4096)));
    bytes += n;
  }
  clearTimeout(timer);
  const ms = performance.now() - started;
  try {
    conn.close();
  } catch { /* already closed */ }
  return { closed, bytes, head, ms };
}
