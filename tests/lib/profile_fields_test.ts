import assert from "node:assert/strict";
import {
  fieldHint,
  fieldsOfKind,
  formBody,
  formValues,
  PROFILE_DEFAULTS,
  PROFILE_FIELD_NAMES,
} from "../../lib/profile_fields.ts";
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
  assert.equal(fieldHint("max_concurrency"), `Default: ${PROFILE_DEFAULTS.max_concurrency}`);
  assert.equal(fieldHint("queue_timeout"), `Default: ${PROFILE_DEFAULTS.queue_timeout}`);
  assert.match(fieldHint("host")!, /^Default: 127\.0\.0\.1 — this Mac only/);
  assert.equal(fieldHint("name"), undefined);
});

Deno.test("the database columns are the declared fields, booleans and lists among them", () => {
  assert.deepEqual([...PROFILE_COLUMNS], PROFILE_FIELD_NAMES);
  assert.ok(fieldsOfKind("boolean").includes("keep_loaded"));
  assert.deepEqual(fieldsOfKind("list"), ["aliases"]);
});
