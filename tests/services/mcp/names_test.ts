import assert from "node:assert/strict";
import { functionName, sanitize, UniqueNames } from "../../../services/mcp/names.ts";

Deno.test("functionName() prefixes the server, sanitizes, and keeps long names within 64 characters", () => {
  assert.equal(functionName("GitHub", "search_repositories"), "GitHub__search_repositories");
  assert.equal(functionName("my files", "read.file"), "my_files__read_file");
  assert.equal(sanitize("..."), "tool");
  const long = functionName("a".repeat(40), "b".repeat(40));
  assert.equal(long.length, 64);
  assert.match(long, /^[A-Za-z0-9_-]+$/);
  assert.notEqual(long, functionName("a".repeat(40), "b".repeat(41)));
});

Deno.test("UniqueNames.take() keeps reserved names free and numbers repeats", () => {
  const names = new UniqueNames(["calculate"]);
  assert.equal(names.take("calculate"), "calculate_2");
  assert.equal(names.take("x__echo"), "x__echo");
  assert.equal(names.take("x__echo"), "x__echo_2");
  assert.equal(names.take("c".repeat(64)).length, 64);
  assert.equal(names.take("c".repeat(64)), "c".repeat(62) + "_2");
});
