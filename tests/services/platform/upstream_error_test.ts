import assert from "node:assert/strict";
import { locationPath, readUpstreamError } from "../../../services/platform/upstream_error.ts";

Deno.test("readUpstreamError() reads a validation list, an error object (wrapped in detail or not), a detail and text", () => {
  assert.deepEqual(
    readUpstreamError(
      '{"detail":[{"loc":["body","messages",0,"role"],"msg":"bad role"},{"loc":["body","model"],"msg":"missing"}]}',
    ),
    {
      shape: "validation",
      message: "messages[0].role: bad role; model: missing",
      type: null,
      code: null,
      param: "messages[0].role",
    },
  );
  const error = { shape: "error", message: "busy", type: "rate_limit_exceeded", code: "429", param: null };
  assert.deepEqual(
    readUpstreamError('{"detail":{"error":{"message":"busy","type":"rate_limit_exceeded","code":429}}}'),
    error,
  );
  assert.deepEqual(
    readUpstreamError('{"error":{"message":"busy","type":"rate_limit_exceeded","code":"429"}}'),
    error,
  );
  assert.deepEqual(readUpstreamError('{"detail":"Not Found"}'), {
    shape: "text",
    message: "Not Found",
    type: null,
    code: null,
    param: null,
  });
  assert.equal(readUpstreamError('{"message":"no such model"}').message, "no such model");
  assert.equal(readUpstreamError("  Bad gateway\n").message, "Bad gateway");
});

Deno.test("locationPath() writes a FastAPI location as a parameter path, without its body prefix", () => {
  assert.equal(locationPath(["body", "messages", 0, "content", 1, "type"]), "messages[0].content[1].type");
  assert.equal(locationPath(["query", "limit"]), "query.limit");
  assert.equal(locationPath([]), "");
});
