/**
 * A raw HTTP/1.1 server on loopback for the client's tests: it reads each
 * request (head and `content-length` body) off a kept connection and lets
 * `answer` write whatever bytes it likes, so tests can send framings cut
 * anywhere, oversized heads or nothing at all.
 *
 * @module
 */

/** What {@link rawServer}'s `answer` is told about a request. */
export interface RawRequest {
  /** 1 for the first request the server read, across connections. */
  n: number;
  /** 1 for the first connection the server accepted. */
  connection: number;
  /** The request's head, as text. */
  head: string;
  body: Uint8Array;
}

/** A running raw server. */
export interface RawServer {
  url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections the other side closed (or reset) so far. */
  readonly hangUps: number;
  close(): Promise<void>;
}

/** Starts a raw server; `answer` writes each answer (it may also close `conn`). */
export function rawServer(answer: (conn: Deno.Conn, request: RawRequest) => Promise<void>): RawServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  let requests = 0;
  let hangUps = 0;
  const serve = async (conn: Deno.Conn, connection: number) => {
    let buffered = new Uint8Array();
    const buffer = new Uint8Array(64 * 1024);
    const more = async (): Promise<boolean> => {
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) return false;
      const joined = new Uint8Array(buffered.length + n);
      joined.set(buffered);
      joined.set(buffer.subarray(0, n), buffered.length);
      buffered = joined;
      return true;
    };
    for (;;) {
      let end = -1;
      while ((end = new TextDecoder().decode(buffered).indexOf("\r\n\r\n")) < 0) {
        if (!await more()) return hangUps++;
      }
      const head = new TextDecoder().decode(buffered.subarray(0, end));
      const length = Number(head.match(/\r\ncontent-length: (\d+)/i)?.[1] ?? 0);
      while (buffered.length < end + 4 + length) {
        if (!await more()) return hangUps++;
      }
      const body = buffered.slice(end + 4, end + 4 + length);
      buffered = buffered.slice(end + 4 + length);
      await answer(conn, { n: ++requests, connection, head, body }).catch(() => {});
    }
  };
  const serving = (async () => {
    for await (const conn of listener) {
      // Each write goes out at once: a small second write is not held back for the first one's ACK.
      (conn as Deno.TcpConn).setNoDelay(true);
      conns.push(conn);
      serve(conn, conns.length);
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    get connections() {
      return conns.length;
    },
    get hangUps() {
      return hangUps;
    },
    async close() {
      listener.close();
      await serving;
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
    },
  };
}

const encoder = new TextEncoder();

/** Writes all of `text` (or bytes). */
export async function write(conn: Deno.Conn, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  for (let sent = 0; sent < bytes.length;) sent += await conn.write(bytes.subarray(sent));
}

/** Lets the event loop run once through its timers, so a reader waiting on the socket gets what was written. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}
