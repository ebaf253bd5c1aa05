import assert from "node:assert/strict";
import { fieldsOfKind, PROFILE_DEFAULTS, PROFILE_FIELD_NAMES } from "../../lib/profile_fields.ts";
import { fieldHint, fieldShown, formBody, formValues } from "../../lib/profile_form.ts";
import type { ServerFeatures } from "../../lib/server_features.ts";
import { PROFILE_COLUMNS } from "../../db/profiles.ts";

Deno.test("formValues() and formBody() round-trip every field of a stored profile", () => {
  const stored = {
    ...PROFILE_DEFAULTS,
    name: "Qwen3",
    model_path: "mlx-community/Qwen3-8B-4bit",
    port: 10240,
    context_length: 8192,
    aliases: ["qwen", "gpt-4o-mini"],
    idle_timeout: 600,
    keep_loaded: true,
    reasoning_parser: "qwen3",
  };
  const values = formValues(stored);
  assert.equal(values.port, "10240");
  assert.equal(values.aliases, "qwen, gpt-4o-mini");
  assert.equal(values.description, "");
  assert.equal(values.keep_loaded, true);
  assert.deepEqual(formBody(values), stored);
});

Deno.test("formBody() sends blank optional fields as null and keeps blank required ones for the server to refuse", () => {
  const body = formBody({
    ...formValues({}),
    name: "",
    context_length: " ",
    aliases: " , ",
    tool_call_parser: "",
  });
  assert.equal(body.context_length, null);
  assert.equal(body.tool_call_parser, null);
  assert.deepEqual(body.aliases, []);
  assert.equal(body.name, "");
  assert.equal(body.port, null);
});

Deno.test("fieldHint() reads the default from the declaration", () => {
  assert.match(fieldHint("max_concurrency")!, new RegExp(`^Default: ${PROFILE_DEFAULTS.max_concurrency} — `));
  assert.match(fieldHint("queue_timeout")!, new RegExp(`^Default: ${PROFILE_DEFAULTS.queue_timeout} — `));
  assert.match(fieldHint("host")!, /^Default: 127\.0\.0\.1 — this Mac only/);
  assert.equal(fieldHint("name"), undefined);
});

Deno.test("the database columns are the declared fields, booleans and lists among them", () => {
  assert.deepEqual([...PROFILE_COLUMNS], PROFILE_FIELD_NAMES);
  assert.ok(fieldsOfKind("boolean").includes("keep_loaded"));
  assert.deepEqual(fieldsOfKind("list"), ["aliases", "lora_paths", "lora_scales"]);
});

Deno.test("formBody() sends a number list as numbers and leaves what is no number for the server to refuse", () => {
  const values = { ...formValues({}), lora_paths: "/a.safetensors, org/b", lora_scales: "0.8, 1, x" };
  const body = formBody(values);
  assert.deepEqual(body.lora_paths, ["/a.safetensors", "org/b"]);
  assert.deepEqual(body.lora_scales, [0.8, 1, "x"]);
  assert.equal(formValues({ ...PROFILE_DEFAULTS, lora_scales: [0.5, 1] }).lora_scales, "0.5, 1");
});

const FEATURES_151: ServerFeatures = {
  installed: true,
  version: "1.5.1",
  fields: PROFILE_FIELD_NAMES.filter((n) => !["kv_bits", "presence_penalty", "draft_model_path"].includes(n)),
  concurrency: "semaphore",
  disableBatching: false,
  servedName: false,
  batchStats: false,
  multimodalBatching: false,
};

Deno.test("fieldShown() shows what the installed server takes for the model type, and any field that holds a setting", () => {
  const values = formValues({});
  assert.equal(fieldShown("kv_bits", values, FEATURES_151), false, "1.5.1 has no --kv-bits");
  assert.equal(
    fieldShown("kv_bits", { ...values, kv_bits: "4" }, FEATURES_151),
    true,
    "a set value can be cleared",
  );
  assert.equal(fieldShown("top_k", values, FEATURES_151), true);
  assert.equal(fieldShown("top_k", { ...values, model_type: "embeddings" }, FEATURES_151), false);
  assert.equal(fieldShown("lora_paths", values, FEATURES_151), false, "LoRA adapters are for image models");
  assert.equal(fieldShown("lora_paths", { ...values, model_type: "image-generation" }, FEATURES_151), true);
  assert.equal(
    fieldShown("kv_bits", values, { ...FEATURES_151, fields: null }),
    true,
    "no server: every field",
  );
});
