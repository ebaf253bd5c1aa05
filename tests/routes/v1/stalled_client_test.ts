import assert from "node:assert/strict";
import { startGateway } from "./setup.ts";
import { rawSend, readUntilClosed } from "../../helpers/raw_http.ts";
import { waitFor } from "../../helpers/net.ts";

// More than the socket buffers on both sides of the manager hold, so a client that reads nothing blocks it.
const REPLY = "x".repeat(24 * 1024 * 1024);

Deno.test("a client that stops reading a /v1 stream is dropped after MLX_MANAGER_CLIENT_TIMEOUT, and its model slot and lease are released", async () => {
  await using gw = await startGateway({ MLX_MANAGER_CLIENT_TIMEOUT: "1" });
  const { key } = await gw.key();
  const profile = await gw.profile({}, { reply: REPLY, chunk_chars: 65536, token_delay_ms: 0 });
  const { supervisor, gateway, activity } = gw.rt.deps;
  const body = JSON.stringify({
    model: profile.name,
    stream: true,
    messages: [{ role: "user", content: "Hi" }],
  });
  const conn = await rawSend(
    gw.url,
    `POST /v1/chat/completions HTTP/1.1\r\nhost: ${
      new URL(gw.url).host
    }\r\nauthorization: Bearer ${key}\r\n` +
      `content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
  );
  try {
    await waitFor(() => supervisor.status(profile.id).in_flight === 1, "the stream holds the model's slot");
    // This client reads nothing from here on.
    await waitFor(
      () => gateway.inFlight === 0 && supervisor.status(profile.id).in_flight === 0,
      "the slot and the lease are given back",
      20_000,
    );
    const [row] = activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 1 }).data;
    assert.equal(row.outcome, "client_closed");
    const rest = await readUntilClosed(conn, 15_000);
    assert.ok(rest.closed, "the connection is closed");
    assert.match(rest.head, /^HTTP\/1\.1 200/);
    assert.ok(rest.bytes < REPLY.length, `the whole answer (${rest.bytes} bytes) was still sent`);
  } finally {
    try {
      conn.close();
    } catch { /* closed by the test */ }
  }
});
