import assert from "node:assert/strict";
import { classify, parseModels } from "../../../services/upstreams/probe.ts";

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
