import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { listen } from "../../../services/platform/connections.ts";
import { createLogger } from "../../../lib/logger.ts";
import { rawSend, readUntilClosed } from "../../helpers/raw_http.ts";
import { waitFor } from "../../helpers/net.ts";

const STARVED = fileURLToPath(new URL("../../fixtures/fd_starved_server.ts", import.meta.url));

Deno.test("listen() survives accepts that fail for want of file descriptors, and serves the waiting clients once some are free", async () => {
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", 'ulimit -n 128 && exec "$0" "$@"', Deno.execPath(), "run", "-A", STARVED],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  let stderr = "";
  void child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (text) => void (stderr += text) }),
  );
  try {
    while (!/full \d+/.test(stdout)) {
      const { value, done } = await out.read();
      if (done) throw new Error(`The server ended: ${stderr}`);
      stdout += value;
    }
    void (async () => {
      while (true) {
        const { value, done } = await out.read();
        if (done) break;
        stdout += value;
      }
    })();
    const port = Number(stdout.match(/full (\d+)/)![1]);
    // Connected in the backlog; accepting them fails until the server frees its descriptors.
    const answers = await Promise.all(
      [1, 2, 3].map(() => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())),
    );
    assert.deepEqual(answers, ["served", "served", "served"]);
    assert.match(stdout, /freed/);
    assert.match(stderr, /Cannot accept a connection: retrying error="Too many open files/);
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
});

Deno.test("listen() keeps a connection for several requests, tells the handler the client's address, and closes everything when its signal aborts", async () => {
  const stop = new AbortController();
  const server = listen({
    hostname: "127.0.0.1",
    port: 0,
    handler: (_request, info) => new Response(`${info.remoteAddr.hostname}:${info.remoteAddr.port}`),
    maxConnections: 8,
    clientTimeoutMs: 30_000,
    logger: createLogger("silent"),
    signal: stop.signal,
  });
  const url = `http://127.0.0.1:${server.addr.port}`;
  const host = `host: 127.0.0.1:${server.addr.port}\r\n`;
  const conn = await rawSend(url, `GET / HTTP/1.1\r\n${host}\r\nGET / HTTP/1.1\r\n${host}\r\n`);
  const { port } = conn.localAddr as Deno.NetAddr;
  await waitFor(() => server.connections === 1, "one connection");
  const idle = await rawSend(url);
  await waitFor(() => server.connections === 2, "two connections");
  stop.abort();
  await server.finished;
  const [both, other] = await Promise.all([readUntilClosed(conn, 5000), readUntilClosed(idle, 5000)]);
  assert.equal(both.head.split(`127.0.0.1:${port}`).length - 1, 2, both.head);
  assert.ok(both.closed && other.closed);
  assert.equal(server.connections, 0);
});
