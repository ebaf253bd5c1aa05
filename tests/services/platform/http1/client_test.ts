import assert from "node:assert/strict";
import {
  ConnectError,
  HeadersTimeoutError,
  HeadTooLargeError,
  type Http1Answer,
  Http1Client,
  nextReadBuffer,
  READ_SIZES,
  request,
} from "../../../../services/platform/http1/mod.ts";
import { rawServer, tick, write } from "./raw_server.ts";
import { waitFor } from "../../../helpers/net.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

Deno.test("request() streams a chunked answer unchanged and hands on each socket read whole", async () => {
  const frames = Array.from({ length: 300 }, (_, i) => `data: {"n": ${i}}\n\n`);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.text();
    return new Response(
      new ReadableStream({
        start(c) {
          for (const f of frames) c.enqueue(enc.encode(f));
          c.enqueue(enc.encode(`echo ${body}`));
          c.close();
        },
      }),
      { status: 201, headers: { "content-type": "text/event-stream", "x-kept": "yes" } },
    );
  });
  try {
    const res = await request({
      url: `http://127.0.0.1:${server.addr.port}/v1/x`,
      headers: new Headers({ "content-type": "application/json" }),
      body: enc.encode('{"a":1}'),
      signal: new AbortController().signal,
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get("x-kept"), "yes");
    let text = "";
    let reads = 0;
    for await (const chunk of res.body) {
      text += dec.decode(chunk);
      reads++;
    }
    assert.equal(text, frames.join("") + 'echo {"a":1}');
    assert.ok(reads < frames.length, `frames the kernel gathered arrive together (${reads} reads)`);
  } finally {
    await server.shutdown();
  }
});

Deno.test("request() fails when nothing listens, and an abort closes the connection mid-body", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const base = {
    headers: new Headers(),
    body: new Uint8Array(),
    signal: new AbortController().signal,
  };
  await assert.rejects(
    request({ ...base, url: `http://127.0.0.1:${port}/`, connectTimeoutMs: 5000 }),
    (error: Error) => error instanceof ConnectError && /refused/i.test(error.message),
    "a refused connection is a ConnectError: nothing was sent",
  );

  let serverSawClose!: () => void;
  const closed = new Promise<void>((r) => serverSawClose = r);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () =>
    new Response(
      new ReadableStream({
        start(c) {
          c.enqueue(enc.encode("data: first\n\n"));
        },
        cancel() {
          serverSawClose();
        },
      }),
    ));
  try {
    const abort = new AbortController();
    const res = await request({
      ...base,
      url: `http://127.0.0.1:${server.addr.port}/`,
      signal: abort.signal,
    });
    const reader = res.body.getReader();
    assert.equal(dec.decode((await reader.read()).value), "data: first\n\n");
    const next = reader.read();
    abort.abort();
    await assert.rejects(next);
    await closed;
  } finally {
    await server.shutdown();
  }
});

Deno.test("nextReadBuffer() keeps a buffer a read did not fill, and doubles a filled one up to the largest", () => {
  const small = new Uint8Array(READ_SIZES.min);
  assert.equal(nextReadBuffer(small, 10), small);
  assert.equal(nextReadBuffer(small, READ_SIZES.min).length, READ_SIZES.min * 2);
  const largest = new Uint8Array(READ_SIZES.max);
  assert.equal(nextReadBuffer(largest, READ_SIZES.max), largest);
});

Deno.test("request() starts with a small read buffer and grows it for a large answer, which arrives whole", async () => {
  const payload = new Uint8Array(1 << 20).map((_, i) => i % 251);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(payload, { headers: { "content-type": "application/octet-stream" } }),
  );
  try {
    const res = await request({
      url: `http://127.0.0.1:${server.addr.port}/v1/x`,
      headers: new Headers(),
      body: new Uint8Array(),
      signal: new AbortController().signal,
    });
    const sizes: number[] = [];
    const parts: Uint8Array[] = [];
    for await (const chunk of res.body) {
      sizes.push(chunk.byteLength);
      parts.push(chunk);
    }
    const got = new Uint8Array(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer());
    assert.deepEqual(got, payload);
    assert.ok(Math.max(...sizes) > READ_SIZES.min, `reads grew past ${READ_SIZES.min} bytes`);
  } finally {
    await server.shutdown();
  }
});

Deno.test("request() gives up on a server that accepts and never answers, and closes the connection", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  // Accepts, reads what comes, never writes; resolves once the other side closed.
  const sawClose = (async () => {
    const conn = await listener.accept();
    const buffer = new Uint8Array(4096);
    try {
      while (await conn.read(buffer) !== null) { /* never answer */ }
    } finally {
      conn.close();
    }
  })();
  try {
    await assert.rejects(
      request({
        url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/v1/chat/completions`,
        headers: new Headers({ "content-type": "application/json" }),
        body: enc.encode("{}"),
        signal: new AbortController().signal,
        headersTimeoutMs: 200,
      }),
      (error: Error) => error instanceof HeadersTimeoutError && error.timeoutMs === 200,
    );
    await sawClose;
  } finally {
    listener.close();
  }
});

const OK = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n" +
  "7\r\ndata: 1\r\n7\r\ndata: 2\r\n0\r\n\r\n";

async function readAll(res: { read(): Promise<string | null> }): Promise<string> {
  let all = "";
  for (let part; (part = await res.read()) !== null;) all += part;
  return all;
}

Deno.test("Http1Client reuses a connection after a complete answer and replaces one the server closed", async () => {
  const server = rawServer(async (conn, request) => {
    await write(conn, OK);
    // After the second answer the server hangs up on its idle connection.
    if (request.n === 2) conn.close();
  });
  const pool = new Http1Client({ keepAlive: true });
  const signal = new AbortController().signal;
  try {
    for (let i = 0; i < 3; i++) {
      const res = await pool.request({
        url: `${server.url}/v1/chat/completions`,
        body: "{}",
        headers: { "content-type": "application/json" },
        signal,
      });
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

Deno.test("Http1Client: a body cut short throws, and aborting closes the connection at once", async () => {
  const server = rawServer(async (conn, request) => {
    if (request.n === 1) {
      await write(conn, OK.slice(0, OK.indexOf("7\r\ndata: 2")));
      conn.close();
    } else await write(conn, OK.slice(0, OK.indexOf("0\r\n"))); // then silence
  });
  const pool = new Http1Client({ keepAlive: true });
  const url = `${server.url}/v1/chat/completions`;
  try {
    const cut = await pool.request({ url, body: "{}", signal: new AbortController().signal });
    assert.equal(await cut.read(), "data: 1");
    await assert.rejects(() => cut.read(), /closed in the middle/);

    const stop = new AbortController();
    const silent = await pool.request({ url, body: "{}", signal: stop.signal });
    assert.equal(await silent.read(), "data: 1data: 2");
    const pending = silent.read();
    stop.abort();
    assert.equal(await pending, null, "the pending read ends when the request is aborted");
  } finally {
    pool.close();
    await server.close();
  }
});

/** The body of an answer, read as text or as bytes. */
async function bodyOf(answer: Http1Answer, asBytes: boolean): Promise<string> {
  if (!asBytes) return await answer.text();
  let text = "";
  for await (const chunk of answer.body) text += dec.decode(chunk);
  return text;
}

Deno.test("Http1Client reads a chunked, a sized, an until-close and a 204 answer cut at every byte", async () => {
  const answers = [
    {
      name: "chunked",
      wire: "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n" +
        "4\r\ndata\r\n6;ext=1\r\n: more\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nx-trailer: 1\r\n\r\n",
      body: "data: moreabcdefghijklmnopqrstuvwxyz",
      kept: true,
    },
    {
      name: "sized",
      wire: "HTTP/1.1 200 OK\r\ncontent-length: 12\r\ncontent-type: text/plain\r\n\r\nhello, world",
      body: "hello, world",
      kept: true,
    },
    {
      name: "until-close",
      wire: "HTTP/1.1 200 OK\r\n\r\nall of it, then the end",
      body: "all of it, then the end",
      kept: false,
    },
    { name: "204", wire: "HTTP/1.1 204 No Content\r\ncontent-length: 10\r\n\r\n", body: "", kept: true },
  ];
  for (const { name, wire, body, kept } of answers) {
    let cut = 0;
    const server = rawServer(async (conn) => {
      // Two writes with a turn of the event loop between them, so the client's read sees the first part alone.
      await write(conn, wire.slice(0, cut));
      await tick();
      await write(conn, wire.slice(cut));
      if (!kept) conn.close();
    });
    const client = new Http1Client({ keepAlive: true });
    try {
      for (cut = 1; cut < wire.length; cut++) {
        const answer = await client.request({ url: `${server.url}/x`, body: "{}" });
        assert.equal(answer.status, name === "204" ? 204 : 200, `${name} cut at ${cut}`);
        assert.equal(await bodyOf(answer, cut % 2 === 0), body, `${name} cut at ${cut}`);
      }
      assert.equal(server.connections, kept ? 1 : wire.length - 1, `${name}: connections`);
    } finally {
      client.close();
      await server.close();
    }
  }
});

Deno.test("Http1Client refuses an answer head over its cap, and stops reading an endless one", async () => {
  const limit = 1024;
  const head = (size: number) => {
    const start = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-fill: ";
    return start + "a".repeat(size - start.length - 4) + "\r\n\r\n";
  };
  assert.equal(head(limit).length, limit);
  let endlessClosed!: () => void;
  const closed = new Promise<void>((resolve) => endlessClosed = resolve);
  const server = rawServer(async (conn, request) => {
    if (request.n === 1) return await write(conn, head(limit) + "ok");
    if (request.n === 2) return await write(conn, head(limit + 1) + "ok");
    // A head that never ends: written until the client's side closes.
    await write(conn, "HTTP/1.1 200 OK\r\n");
    const line = enc.encode(`x-fill: ${"a".repeat(1000)}\r\n`);
    try {
      for (;;) await write(conn, line);
    } finally {
      endlessClosed();
    }
  });
  const client = new Http1Client({ maxHeadBytes: limit });
  const url = `${server.url}/x`;
  try {
    const answer = await client.request({ url, body: "{}" });
    assert.equal(await answer.text(), "ok", "a head of exactly the cap is read");
    await assert.rejects(
      client.request({ url, body: "{}" }),
      (error: Error) =>
        error instanceof HeadTooLargeError && error.limitBytes === limit && /1 KiB/.test(error.message),
    );
    await assert.rejects(client.request({ url, body: "{}" }), HeadTooLargeError);
    await closed;
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("connect() gives up on a TLS handshake that never completes, within connectTimeoutMs", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  // Accepts and never speaks TLS. (Deno keeps a socket whose handshake is pending until the peer
  // ends it, so this side closes it at the end.)
  const accepted = listener.accept();
  try {
    const t0 = performance.now();
    await assert.rejects(
      request({ url: `https://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/`, connectTimeoutMs: 200 }),
      (error: Error) => error instanceof ConnectError && error.message === "no connection within 0.2 s",
    );
    assert.ok(performance.now() - t0 < 5000);
  } finally {
    (await accepted).close();
    listener.close();
  }
});

Deno.test("request() sends nothing once aborted, and an abort while it waits for the head rejects with the reason", async () => {
  const heads: string[] = [];
  let gone!: () => void;
  const hungUp = new Promise<void>((resolve) => gone = resolve);
  const server = rawServer(async (conn, request) => {
    heads.push(request.head);
    if (request.n === 1) {
      // Never answers the first request it reads; notes when the client gives up.
      const buffer = new Uint8Array(16);
      while (await conn.read(buffer).catch(() => null) !== null) { /* wait */ }
      gone();
    } else await write(conn, "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
  });
  try {
    const aborted = new AbortController();
    aborted.abort(new Error("stop before"));
    await assert.rejects(
      request({ url: `${server.url}/before`, body: "{}", signal: aborted.signal }),
      /stop before/,
    );

    const stop = new AbortController();
    const waiting = request({ url: `${server.url}/during`, body: "{}", signal: stop.signal });
    await waitFor(() => heads.length === 1, "the server read the request");
    stop.abort(new Error("stop during"));
    await assert.rejects(waiting, /stop during/);
    await hungUp;
    assert.equal(server.connections, 1, "the request aborted before it began never connected");
    assert.match(heads[0], /^POST \/during HTTP\/1\.1\r\n/);
  } finally {
    await server.close();
  }
});

Deno.test("Http1Client speaks TLS to a server a test CA vouches for, keeps the connection, and refuses it without the CA", async () => {
  const dir = await Deno.makeTempDir();
  const openssl = async (...args: string[]) => {
    const out = await new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" })
      .output();
    if (!out.success) throw new Error(`openssl ${args[0]}: ${dec.decode(out.stderr)}`);
  };
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl(
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "1",
    "-subj",
    "/CN=Test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  await openssl("req", ...ec, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost");
  await Deno.writeTextFile(
    `${dir}/leaf.ext`,
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  await openssl(
    "x509",
    "-req",
    "-in",
    "leaf.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "leaf.pem",
    "-days",
    "1",
    "-extfile",
    "leaf.ext",
  );
  const [ca, cert, key] = await Promise.all(
    ["ca.pem", "leaf.pem", "leaf.key"].map((f) => Deno.readTextFile(`${dir}/${f}`)),
  );
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, cert, key, onListen() {} },
    async (req, info) => new Response(`${info.remoteAddr.port} ${await req.text()}`),
  );
  const client = new Http1Client({ keepAlive: true, caCerts: [ca] });
  try {
    const ports: string[] = [];
    for (const text of ["one", "two"]) {
      const answer = await client.request({ url: `https://localhost:${server.addr.port}/echo`, body: text });
      assert.equal(answer.status, 200);
      const [port, echoed] = (await answer.text()).split(" ");
      assert.equal(echoed, text);
      ports.push(port);
    }
    assert.equal(ports[0], ports[1], "the second request went over the same TLS connection");
    await assert.rejects(
      request({ url: `https://localhost:${server.addr.port}/echo`, body: "x" }),
      (error: Error) => error instanceof ConnectError && /UnknownIssuer/.test(error.message),
      "without the CA the handshake fails before anything is sent",
    );
  } finally {
    client.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("request() streams a request body in chunks, or with the length the caller declares", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) =>
    Response.json({
      length: req.headers.get("content-length"),
      encoding: req.headers.get("transfer-encoding"),
      body: await req.text(),
    }));
  const parts = () =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const part of ["one ", "", "two ", "three"]) c.enqueue(enc.encode(part));
        c.close();
      },
    });
  try {
    const url = `http://127.0.0.1:${server.addr.port}/upload`;
    const chunked = await request({ url, body: parts() });
    assert.deepEqual(await chunked.body.getReader().read().then((r) => JSON.parse(dec.decode(r.value))), {
      length: null,
      encoding: "chunked",
      body: "one two three",
    });
    const sized = await request({ url, body: parts(), headers: { "content-length": "13" } });
    assert.deepEqual(JSON.parse(await sized.text()), { length: "13", encoding: null, body: "one two three" });

    const failing = new ReadableStream<Uint8Array>({
      pull(c) {
        c.error(new Error("the upload's source failed"));
      },
    });
    await assert.rejects(request({ url, body: failing }), /the upload's source failed/);
  } finally {
    await server.shutdown();
  }
});
