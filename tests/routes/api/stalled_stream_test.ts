import assert from "node:assert/strict";
import { listen, testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";
import { rawSend, readUntilClosed } from "../../helpers/raw_http.ts";
import { waitFor } from "../../helpers/net.ts";
import { withSupervisedChat } from "../../helpers/chat.ts";

Deno.test("a client that stops reading its event stream is dropped after MLX_MANAGER_CLIENT_TIMEOUT: its subscription ends and its connection closes", async () => {
  await using rt = await testRuntime({
    env: { MLX_MANAGER_CLIENT_TIMEOUT: "1", MLX_MANAGER_SSE_KEEPALIVE: "30" },
  });
  const { user } = await adminAndUser(rt);
  const server = listen(rt);
  const { bus } = rt.deps;
  const conn = await rawSend(
    server.url,
    `GET /api/events HTTP/1.1\r\nhost: ${
      new URL(server.url).host
    }\r\nauthorization: ${user.headers.authorization}\r\n\r\n`,
  );
  // Events keep coming (64 KiB, 20 a second) while this client reads nothing: once the socket buffers
  // are full they wait for it, well under the 4 MiB a slow reader may fall behind in that second.
  const message = "x".repeat(64 * 1024);
  const publishing = setInterval(() => bus.publish("notice", { message, kind: "info" }), 50);
  let published = 0;
  const counting = bus.on("notice", () => published++);
  try {
    await waitFor(() => bus.clientCount === 1, "the stream subscribes");
    await waitFor(() => bus.clientCount === 0, "the stalled stream is ended", 30_000);
    clearInterval(publishing);
    const rest = await readUntilClosed(conn, 15_000);
    assert.ok(rest.closed, "its connection is closed");
    assert.match(rest.head, /^HTTP\/1\.1 200/);
    assert.ok(rest.bytes < published * message.length, "everything was delivered: it did not stall");
  } finally {
    clearInterval(publishing);
    counting();
    try {
      conn.close();
    } catch { /* closed by the test */ }
    await server.stop();
  }
});

Deno.test("a client that stops reading a chat answer is dropped after MLX_MANAGER_CLIENT_TIMEOUT, and the model server's request ends", async () => {
  await withSupervisedChat(
    // About 6 s of answer at full speed: the client stops reading long before its end.
    { reply: "word ".repeat(4 * 1024 * 1024), chunk_chars: 16 * 1024, token_delay_ms: 5 },
    async ({ rt, user, profile, waitForRecord }) => {
      const server = listen(rt);
      const body = JSON.stringify({ profile_id: profile.id, messages: [{ role: "user", content: "Talk" }] });
      const conn = await rawSend(
        server.url,
        `POST /api/chat/completions HTTP/1.1\r\nhost: ${new URL(server.url).host}\r\n` +
          `authorization: ${user.headers.authorization}\r\ncontent-type: application/json\r\n` +
          `content-length: ${body.length}\r\n\r\n${body}`,
      );
      try {
        await waitForRecord((r) => r.event === "request");
        // This client reads nothing: the chat stops asking the model server for the rest.
        await waitForRecord((r) => r.event === "client_closed", 30_000);
        const rest = await readUntilClosed(conn, 15_000);
        assert.ok(rest.closed, "its connection is closed");
        assert.match(rest.head, /^HTTP\/1\.1 200/);
      } finally {
        try {
          conn.close();
        } catch { /* closed by the test */ }
        await server.stop();
      }
    },
    { env: { MLX_MANAGER_CLIENT_TIMEOUT: "1" } },
  );
});
