import assert from "node:assert/strict";
import {
  ConnectError,
  HeadersTimeoutError,
  nextReadBuffer,
  READ_SIZES,
  request,
} from "../../../services/gateway/upstream_http.ts";

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
      baseUrl: `http://127.0.0.1:${server.addr.port}`,
      path: "/v1/x",
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
    path: "/",
    headers: new Headers(),
    body: new Uint8Array(),
    signal: new AbortController().signal,
  };
  await assert.rejects(
    request({ ...base, baseUrl: `http://127.0.0.1:${port}`, connectTimeoutMs: 5000 }),
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
      baseUrl: `http://127.0.0.1:${server.addr.port}`,
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
      baseUrl: `http://127.0.0.1:${server.addr.port}`,
      path: "/v1/x",
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
        baseUrl: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
        path: "/v1/chat/completions",
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
