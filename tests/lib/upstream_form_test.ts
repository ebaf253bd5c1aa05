import assert from "node:assert/strict";
import { EMPTY_UPSTREAM_FORM, upstreamBody, upstreamFormValues } from "../../lib/upstream_form.ts";
import type { UpstreamView } from "../../lib/upstream_types.ts";

const VIEW: UpstreamView = {
  id: 3,
  name: "studio",
  kind: "exo",
  base_url: "http://studio:52415/v1",
  has_api_key: true,
  models: ["qwen", "llama"],
  enabled: false,
  state: "online",
  last_error: null,
  latency_ms: 4,
  checked_at: null,
  served: [],
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

Deno.test("upstreamFormValues() fills the form from an upstream, never with its key", () => {
  assert.deepEqual(upstreamFormValues(VIEW), {
    name: "studio",
    kind: "exo",
    base_url: "http://studio:52415/v1",
    api_key: "",
    clearKey: false,
    models: "qwen, llama",
    enabled: false,
  });
  assert.equal(upstreamFormValues({ ...VIEW, models: "discover" }).models, "");
});

Deno.test("upstreamBody() discovers models when none are listed, and sends no key for a new upstream without one", () => {
  const values = { ...EMPTY_UPSTREAM_FORM, name: "studio", base_url: "http://studio:8080/v1" };
  assert.deepEqual(upstreamBody(values, true), {
    name: "studio",
    kind: "mlx-manager",
    base_url: "http://studio:8080/v1",
    models: "discover",
    enabled: true,
    api_key: null,
  });
  assert.deepEqual(upstreamBody({ ...values, models: "a, b" }, true).models, ["a", "b"]);
});

Deno.test("upstreamBody() on edit keeps the stored key unless a new one is typed or removal is asked", () => {
  const values = upstreamFormValues(VIEW);
  assert.equal("api_key" in upstreamBody(values, false), false);
  assert.equal(upstreamBody({ ...values, clearKey: true }, false).api_key, null);
  assert.equal(upstreamBody({ ...values, api_key: "mlxm_new", clearKey: true }, false).api_key, "mlxm_new");
});
