import assert from "node:assert/strict";
import { startManager } from "../helpers/manager.ts";
import { rawSend, readUntilClosed } from "../helpers/raw_http.ts";
import { waitFor } from "../helpers/net.ts";
import { connectionLimit } from "../../services/platform/open_files.ts";

const TIMEOUT_S = 1;

/** Whether the process still runs. */
async function running(child: Deno.ChildProcess): Promise<boolean> {
  const settled = await Promise.race([child.status.then(() => true), new Promise((r) => setTimeout(r, 50))]);
  return settled !== true;
}

async function health(url: string): Promise<number> {
  try {
    const res = await fetch(`${url}/health`);
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}

Deno.test("under ulimit -n 256, 600 idle connections get a 503 past the limit, the manager keeps running, and the idle ones are dropped after MLX_MANAGER_CLIENT_TIMEOUT", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-conns-" });
  const manager = await startManager({
    dataDir,
    openFiles: 256,
    env: { MLX_MANAGER_CLIENT_TIMEOUT: "2", MLX_MANAGER_OFFLINE: "true" },
  });
  const conns: Deno.TcpConn[] = [];
  try {
    const { hostname, port } = new URL(manager.url);
    for (let i = 0; i < 600; i++) conns.push(await Deno.connect({ hostname, port: Number(port) }));
    // Every connection is either served (and idle) or answered 503 and closed.
    const outcomes = await Promise.all(conns.map((conn) => readUntilClosed(conn, 1500)));
    const refused = outcomes.filter((o) => o.closed && o.head.startsWith("HTTP/1.1 503"));
    const held = outcomes.filter((o) => !o.closed);
    assert.ok(await running(manager.child), `the manager exited:\n${manager.log()}`);
    assert.ok(held.length <= connectionLimit(256), `${held.length} connections were held`);
    assert.ok(refused.length >= 600 - connectionLimit(256) - 50, `only ${refused.length} got a 503`);
    assert.match(refused[0].head, /retry-after: 1/i);
    assert.match(refused[0].head, /"code":"too_many_connections"/);
    // The ones it held were idle: dropped after the timeout, after which it serves again.
    await waitFor(async () => await health(manager.url) === 200, "/health answers again", 10_000);
    assert.ok(await running(manager.child));
    assert.match(manager.log(), /Serving up to 64 connections at once open_file_limit=256/);
  } finally {
    for (const conn of conns) {
      try {
        conn.close();
      } catch { /* closed by the test */ }
    }
    manager.child.kill("SIGKILL");
    await manager.child.status;
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});

Deno.test("a client is dropped after MLX_MANAGER_CLIENT_TIMEOUT when it stalls its headers, pauses in its body or stays idle, but not while it reads a stream", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-stall-" });
  const manager = await startManager({
    dataDir,
    env: {
      MLX_MANAGER_CLIENT_TIMEOUT: String(TIMEOUT_S),
      MLX_MANAGER_SSE_KEEPALIVE: "0.2",
      MLX_MANAGER_OFFLINE: "true",
    },
  });
  try {
    const host = `host: ${new URL(manager.url).host}\r\n`;
    const wait = TIMEOUT_S * 1000 * 6;
    const [head, body, idle, nothing] = await Promise.all([
      rawSend(manager.url, `GET /health HTTP/1.1\r\n${host}x-slow: `),
      rawSend(
        manager.url,
        `POST /api/auth/login HTTP/1.1\r\n${host}content-type: application/json\r\ncontent-length: 200\r\n\r\n{"email"`,
      ),
      rawSend(manager.url, `GET /health HTTP/1.1\r\n${host}\r\n`),
      rawSend(manager.url),
    ]).then((conns) => Promise.all(conns.map((c) => readUntilClosed(c, wait))));
    for (const [name, outcome] of Object.entries({ head, body, idle, nothing })) {
      assert.ok(outcome.closed, `${name}: still open after ${wait} ms`);
      assert.ok(
        outcome.ms >= TIMEOUT_S * 1000 - 100,
        `${name}: closed after ${outcome.ms} ms, before the timeout`,
      );
    }
    assert.match(idle.head, /^HTTP\/1\.1 200/, "the idle client got its answer first");
    assert.equal(body.head, "", "a stalled body gets no answer: the connection is closed");

    // A stream that keeps flowing outlives the timeout several times over.
    const credentials = { email: "ada@example.com", password: "correct horse battery" };
    const post = (path: string) =>
      fetch(`${manager.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(credentials),
      });
    await (await post("/api/auth/register")).body?.cancel();
    const { access_token } = await (await post("/api/auth/login")).json();
    const events = await rawSend(
      manager.url,
      `GET /api/events HTTP/1.1\r\n${host}authorization: Bearer ${access_token}\r\n\r\n`,
    );
    const streamed = await readUntilClosed(events, TIMEOUT_S * 1000 * 4);
    assert.equal(streamed.closed, false, "a reading client was dropped");
    assert.match(streamed.head, /^HTTP\/1\.1 200/);
    assert.ok(await running(manager.child));
  } finally {
    manager.child.kill("SIGKILL");
    await manager.child.status;
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
