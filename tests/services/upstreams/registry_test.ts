import assert from "node:assert/strict";
import { listen, testRuntime } from "../../helpers/runtime.ts";
import { startFakeServer } from "../../helpers/fake_server.ts";
import { freePort, waitFor } from "../../helpers/net.ts";
import { createUser } from "../../helpers/auth.ts";
import { EventBus } from "../../../services/events.ts";
import { openDb } from "../../../db/mod.ts";
import { SecretBox } from "../../../services/secrets.ts";
import { createLogger } from "../../../lib/logger.ts";
import { Upstreams } from "../../../services/upstreams/mod.ts";
import type { ProbeResult } from "../../../services/upstreams/probe.ts";
import { nextProbeDelay } from "../../../services/upstreams/backoff.ts";
import { classify, parseModels } from "../../../services/upstreams/probe.ts";

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

Deno.test("Upstreams.tick() probes an offline upstream again only after its backoff", async () => {
  const db = openDb(":memory:");
  const dir = await Deno.makeTempDir();
  const calls: number[] = [];
  let answer: ProbeResult = {
    state: "offline",
    error: "Cannot reach it: refused",
    latencyMs: null,
    models: null,
  };
  const upstreams = new Upstreams({
    db,
    bus: new EventBus(),
    secrets: new SecretBox(dir),
    logger: createLogger("silent"),
    connectTimeoutMs: 1000,
    timing: { healthMs: 60_000, maxBackoffMs: 600_000 },
    probe: () => {
      calls.push(Date.now());
      return Promise.resolve(answer);
    },
  });
  try {
    const created = await upstreams.create(input("http://studio.invalid/v1"));
    await waitFor(() => calls.length === 1 && upstreams.get(created.id).state === "offline", "first probe");
    await upstreams.tick();
    await upstreams.tick();
    assert.equal(calls.length, 1, "not due again within its interval");

    // A request that got through: online again at once, and due for a probe.
    answer = { state: "online", error: null, latencyMs: 3, models: [] };
    upstreams.markReachable(created.id);
    assert.equal(upstreams.get(created.id).state, "online");
    await upstreams.tick();
    assert.equal(calls.length, 2);
    assert.equal(upstreams.get(created.id).state, "online");
  } finally {
    await upstreams.close();
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("nextProbeDelay() doubles after each failure in a row up to its ceiling", () => {
  assert.equal(nextProbeDelay(0, 10_000, 120_000), 10_000);
  assert.equal(nextProbeDelay(1, 10_000, 120_000), 10_000);
  assert.equal(nextProbeDelay(2, 10_000, 120_000), 20_000);
  assert.equal(nextProbeDelay(4, 10_000, 120_000), 80_000);
  assert.equal(nextProbeDelay(5, 10_000, 120_000), 120_000);
  assert.equal(nextProbeDelay(500, 10_000, 120_000), 120_000);
});

Deno.test("parseModels() keeps a peer's own models with their live state and leaves out its remote ones", () => {
  const models = parseModels({
    data: [
      {
        id: "qwen",
        mlx_manager: { loaded: true, state: "running", model_type: "lm", memory_bytes: 5, in_flight: 2 },
      },
      { id: "qwen", mlx_manager: { loaded: true } },
      {
        id: "coder",
        mlx_manager: {
          loaded: true,
          state: "running",
          model_type: "lm",
          memory_bytes: 5,
          in_flight: 2,
          alias_of: "qwen",
        },
      },
      { id: "laptop/llama", mlx_manager: { upstream: "laptop" } },
      { id: 7 },
    ],
  }, "mlx-manager");
  assert.deepEqual(models, [
    {
      id: "qwen",
      loaded: true,
      model_type: "lm",
      state: "running",
      memory_bytes: 5,
      in_flight: 2,
      alias_of: null,
    },
    {
      id: "coder",
      loaded: true,
      model_type: "lm",
      state: "running",
      memory_bytes: 5,
      in_flight: 2,
      alias_of: "qwen",
    },
  ]);
  assert.equal(parseModels({ object: "list" }, "openai"), null);
  assert.deepEqual(parseModels([{ model_id: "llama-3.2-1b" }], "exo")!.map((m) => m.id), ["llama-3.2-1b"]);
  assert.deepEqual(parseModels({ data: [{ id: "a", mlx_manager: { loaded: true } }] }, "openai"), [
    {
      id: "a",
      loaded: null,
      model_type: null,
      state: null,
      memory_bytes: null,
      in_flight: null,
      alias_of: null,
    },
  ]);
});

Deno.test("classify() reads the probe's answer: a refused key, a failure, a model list, a listed server without one", () => {
  assert.equal(
    classify(401, '{"error":{"message":"bad key"}}', "openai", 3).error,
    "The upstream refused the key (HTTP 401): bad key",
  );
  assert.deepEqual(classify(500, "boom", "openai", 3), {
    state: "offline",
    error: "HTTP 500: boom",
    latencyMs: 3,
    models: null,
  });
  assert.equal(classify(404, "", "openai", 3).state, "offline");
  assert.deepEqual(classify(404, "", "openai", 3, true), {
    state: "online",
    error: null,
    latencyMs: 3,
    models: null,
  });
  assert.match(classify(200, "<html>", "openai", 3).error!, /not a model list/);
  assert.equal(classify(200, '{"data":[{"id":"m"}]}', "openai", 3).models![0].id, "m");
});
