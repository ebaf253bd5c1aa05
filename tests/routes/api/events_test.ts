import assert from "node:assert/strict";
import { listen, testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";
import { collectSse, sseBlocks } from "../../helpers/sse.ts";

Deno.test("GET /api/events sends hello, then live events as they are published", async () => {
  const rt = await testRuntime();
  const { user } = await adminAndUser(rt);
  const server = listen(rt);
  const res = await fetch(`${server.url}/api/events`, { headers: user.headers });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /text\/event-stream/);
  const blocks = sseBlocks(res);
  const hello = (await blocks.next()).value!;
  assert.equal(hello.event, "hello");
  assert.equal(hello.retry, "2000");
  assert.deepEqual(JSON.parse(hello.data!), { bootId: rt.deps.bus.bootId });
  const published = rt.deps.bus.publish("notice", { message: "Model ready", kind: "success" });
  const next = (await blocks.next()).value!;
  assert.equal(next.event, "notice");
  assert.equal(next.id, String(published.id));
  assert.deepEqual(JSON.parse(next.data!), { message: "Model ready", kind: "success" });
  await blocks.return(undefined);
  await server.stop();
  await rt.close();
});

Deno.test("GET /api/events replays missed events after Last-Event-ID, or asks to resync", async () => {
  const rt = await testRuntime({ env: { MLX_MANAGER_SSE_KEEPALIVE: "30" } });
  const { user } = await adminAndUser(rt);
  const server = listen(rt);
  const first = rt.deps.bus.publish("notice", { message: "one", kind: "info" });
  rt.deps.bus.publish("notice", { message: "two", kind: "info" });
  rt.deps.bus.publish("notice", { message: "three", kind: "info" });
  const res = await fetch(`${server.url}/api/events`, {
    headers: { ...user.headers, "last-event-id": String(first.id) },
  });
  const got = await collectSse(res, (_b, all) => all.filter((b) => b.event === "notice").length === 2);
  assert.deepEqual(got.filter((b) => b.event === "notice").map((b) => JSON.parse(b.data!).message), [
    "two",
    "three",
  ]);
  const stale = await fetch(`${server.url}/api/events`, {
    headers: { ...user.headers, "last-event-id": "999999" },
  });
  const resync = await collectSse(stale, (b) => b.event === "resync");
  assert.equal(resync.at(-1)!.event, "resync");
  await server.stop();
  await rt.close();
});

Deno.test("GET /api/events shows admin-only events to admins only", async () => {
  const rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const server = listen(rt);
  const asUser = await fetch(`${server.url}/api/events`, { headers: user.headers });
  const asAdmin = await fetch(`${server.url}/api/events`, { headers: admin.headers });
  await rt.deps.accounts.register({ email: "pending@example.com", password: "longenough" });
  rt.deps.bus.publish("notice", { message: "everyone", kind: "info" });
  const adminSaw = await collectSse(asAdmin, (b) => b.event === "notice");
  const userSaw = await collectSse(asUser, (b) => b.event === "notice");
  assert.deepEqual(JSON.parse(adminSaw.find((b) => b.event === "users.pending")!.data!), { count: 1 });
  assert.equal(userSaw.find((b) => b.event === "users.pending"), undefined);
  await server.stop();
  await rt.close();
});

Deno.test("GET /api/events sends keep-alive comments and unsubscribes when the client leaves", async () => {
  const rt = await testRuntime({ env: { MLX_MANAGER_SSE_KEEPALIVE: "0.05" } });
  const { user } = await adminAndUser(rt);
  const server = listen(rt);
  const res = await fetch(`${server.url}/api/events`, { headers: user.headers });
  const got = await collectSse(res, (b) => b.comment === "keep-alive");
  assert.equal(got.at(-1)!.comment, "keep-alive");
  // The collector cancelled the body; the server must drop its subscription.
  for (let i = 0; i < 50 && rt.deps.bus.clientCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(rt.deps.bus.clientCount, 0);
  await server.stop();
  await rt.close();
});
