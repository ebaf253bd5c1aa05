import assert from "node:assert/strict";
import { EMPTY_KEY_FORM, keyBody } from "../../lib/key_form.ts";

const NOW = Date.parse("2026-01-01T00:00:00Z");

Deno.test("keyBody() turns days into an expiry and a comma list into models", () => {
  assert.deepEqual(keyBody({ ...EMPTY_KEY_FORM, name: "Editor", days: "2", models: " qwen, ,llama " }, NOW), {
    name: "Editor",
    expires_at: "2026-01-03T00:00:00.000Z",
    models: ["qwen", "llama"],
  });
});

Deno.test("keyBody() sends no expiry and every model for empty fields", () => {
  assert.deepEqual(keyBody({ ...EMPTY_KEY_FORM, name: "x" }, NOW), {
    name: "x",
    expires_at: null,
    models: null,
  });
  assert.equal(keyBody({ ...EMPTY_KEY_FORM, days: "0" }, NOW).expires_at, null);
});

Deno.test("keyBody() sends the limits that are set, a budget counting a day unless a period is chosen", () => {
  assert.deepEqual(keyBody({ ...EMPTY_KEY_FORM, name: "x", rpm: "10", budget_tokens: "5000" }, NOW).limits, {
    rpm: 10,
    tpm: null,
    max_parallel: null,
    budget_tokens: 5000,
    budget_period: "day",
  });
  assert.equal(keyBody({ ...EMPTY_KEY_FORM, name: "x", budget_period: "week" }, NOW).limits, undefined);
});
