import assert from "node:assert/strict";
import { listen, testRuntime } from "../../helpers/runtime.ts";
import { startFakeServer } from "../../helpers/fake_server.ts";
import { freePort, waitFor } from "../../helpers/net.ts";
import { createUser } from "../../helpers/auth.ts";

const input = (base_url: string, extra: Record<string, unknown> = {}) => ({
  name: "remote",
  kind: "openai" as const,
  base_url,
  api_key: undefined,
  models: "discover" as const,
  enabled: true,
  ...extra,
});

Deno.test("Upstreams discovers an openai upstream's models and marks it online with its latency", async () => {
  const fake = await startFakeServer({}, { modelPath: "org/Fake-Direct" });
  await using rt = await testRuntime();
  try {
    const created = await rt.deps.upstreams.create(input(`${fake.url}/v1`));
    const view = await waitFor(() => {
      const v = rt.deps.upstreams.get(created.id);
      return v.state === "online" && v;
    }, "online");
    assert.equal(view.last_error, null);
    assert.ok(view.latency_ms !== null && view.latency_ms >= 0);
    assert.ok(view.checked_at);
    assert.deepEqual(view.served.map((m) => m.id), ["org/Fake-Direct"]);
    assert.equal(view.served[0].loaded, null, "a plain OpenAI server does not say what is loaded");
  } finally {
    await fake.stop();
  }
});

Deno.test("Upstreams marks an MLX Manager that refuses the key auth_failed, with its message", async () => {
  await using peer = await testRuntime();
  await createUser(peer, { admin: true });
  const server = listen(peer);
  await using rt = await testRuntime();
  try {
    const created = await rt.deps.upstreams.create({
      ...input(`${server.url}/v1`, { kind: "mlx-manager" }),
      api_key: "mlxm_not-a-key-of-that-manager",
    });
    const view = await waitFor(() => {
      const v = rt.deps.upstreams.get(created.id);
      return v.state === "auth_failed" && v;
    }, "auth_failed");
    assert.match(view.last_error ?? "", /refused the key \(HTTP 401\)/);
    assert.match(view.last_error ?? "", /Incorrect API key|API key/);
  } finally {
    await server.stop();
  }
});

Deno.test("Upstreams marks an upstream nobody answers for offline with the reason", async () => {
  await using rt = await testRuntime();
  const created = await rt.deps.upstreams.create(input(`http://127.0.0.1:${freePort()}/v1`));
  const view = await waitFor(() => {
    const v = rt.deps.upstreams.get(created.id);
    return v.state === "offline" && v;
  }, "offline");
  assert.match(view.last_error ?? "", /^Cannot reach it: /);
  assert.equal(view.latency_ms, null);
});
