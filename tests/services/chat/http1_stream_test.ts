import assert from "node:assert/strict";
import { Http1Pool } from "../../../services/chat/http1_stream.ts";

const encoder = new TextEncoder();

/** A raw HTTP/1.1 server: `answer` writes whatever it likes to each connection, per request. */
function rawServer(answer: (conn: Deno.Conn, request: number) => Promise<void>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  let requests = 0;
  const serving = (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      (async () => {
        const buffer = new Uint8Array(64 * 1024);
        while (true) {
          const n = await conn.read(buffer).catch(() => null);
          if (n === null) return;
          await answer(conn, ++requests).catch(() => {});
        }
      })();
    }
  })();
  return {
    url: new URL(`http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/v1/chat/completions`),
    get connections() {
      return conns.length;
    },
    async close() {
      listener.close();
      await serving.catch(() => {});
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
    },
  };
}

const OK = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n" +
  "7\r\ndata: 1\r\n7\r\ndata: 2\r\n0\r\n\r\n";

async function readAll(res: { read(): Promise<string | null> }): Promise<string> {
  let all = "";
  for (let part; (part = await res.read()) !== null;) all += part;
  return all;
}

Deno.test("Http1Pool reuses a connection after a complete answer and replaces one the server closed", async () => {
  const server = rawServer(async (conn, request) => {
    await conn.write(encoder.encode(OK));
    // After the second answer the server hangs up on its idle connection.
    if (request === 2) conn.close();
  });
  const pool = new Http1Pool();
  const signal = new AbortController().signal;
  try {
    for (let i = 0; i < 3; i++) {
      const res = await pool.post(server.url, "{}", { "content-type": "application/json" }, signal);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "text/event-stream");
      assert.equal(await readAll(res), "data: 1data: 2");
    }
    assert.equal(
      server.connections,
      2,
      "one kept-alive connection for two answers, a new one after the hang-up",
    );
  } finally {
    pool.close();
    await server.close();
  }
});

Deno.test("Http1Pool: a body cut short throws, and aborting closes the connection at once", async () => {
  const server = rawServer(async (conn, request) => {
    if (request === 1) {
      await conn.write(encoder.encode(OK.slice(0, OK.indexOf("7\r\ndata: 2"))));
      conn.close();
    } else await conn.write(encoder.encode(OK.slice(0, OK.indexOf("0\r\n")))); // then silence
  });
  const pool = new Http1Pool();
  try {
    const cut = await pool.post(server.url, "{}", {}, new AbortController().signal);
    assert.equal(await cut.read(), "data: 1");
    await assert.rejects(() => cut.read(), /closed in the middle/);

    const stop = new AbortController();
    const silent = await pool.post(server.url, "{}", {}, stop.signal);
    assert.equal(await silent.read(), "data: 1data: 2");
    const pending = silent.read();
    stop.abort();
    assert.equal(await pending, null, "the pending read ends when the request is aborted");
  } finally {
    pool.close();
    await server.close();
  }
});
