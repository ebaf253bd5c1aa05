import assert from "node:assert/strict";
import { jsonOrNull, nullable, nullableJson, presentClauses } from "../../db/rows.ts";

Deno.test("nullable() maps a column value and keeps NULL as null", () => {
  assert.equal(nullable(5n, Number), 5);
  assert.equal(nullable(0, String), "0");
  assert.equal(nullable(null, Number), null);
  assert.equal(nullable(undefined, String), null);
});

Deno.test("nullableJson() and jsonOrNull() round-trip a JSON column, NULL included", () => {
  const value = { a: [1, "x"], b: null };
  assert.deepEqual(nullableJson(jsonOrNull(value)), value);
  assert.equal(jsonOrNull(null), null);
  assert.equal(jsonOrNull(undefined), null);
  assert.equal(nullableJson(null), null);
});

Deno.test("presentClauses() keeps the clauses whose value is present, null included, in order", () => {
  assert.deepEqual(presentClauses({ "a = ?": 1, "b = ?": undefined, "c >= ?": null, "d = ?": "x" }), {
    clauses: ["a = ?", "c >= ?", "d = ?"],
    params: [1, null, "x"],
  });
  assert.deepEqual(presentClauses({ "a = ?": undefined }), { clauses: [], params: [] });
});
