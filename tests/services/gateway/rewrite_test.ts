import assert from "node:assert/strict";
import { rewriteBody } from "../../../services/gateway/rewrite.ts";
import { normalizeUpstreamError } from "../../../services/gateway/upstream_errors.ts";

const ctx = { version: "1.5.1", servedModel: null };

Deno.test("rewriteBody() returns the same object when nothing needs fixing", () => {
  const body = {
    model: "m",
    messages: [{ role: "user", content: "x" }],
    max_tokens: 5,
    max_completion_tokens: 9,
  };
  assert.equal(rewriteBody(body, ctx), body);
});

Deno.test("rewriteBody() maps developer to system, max_completion_tokens to max_tokens, null tool-call content to empty", () => {
  const out = rewriteBody({
    model: "alias",
    max_completion_tokens: 7,
    messages: [
      { role: "developer", content: "d" },
      { role: "assistant", content: null, tool_calls: [{ id: "c" }] },
      { role: "assistant", content: null },
    ],
  }, ctx);
  assert.deepEqual(out, {
    model: "alias",
    max_tokens: 7,
    messages: [
      { role: "system", content: "d" },
      { role: "assistant", content: "", tool_calls: [{ id: "c" }] },
      { role: "assistant", content: null },
    ],
  });
  // A server started under a served name gets it, whatever name the client used.
  assert.equal(
    rewriteBody({ model: "alias" }, { version: "1.8.1", servedModel: "profile-3" }).model,
    "profile-3",
  );
  const named = { model: "profile-3", messages: [] };
  assert.equal(rewriteBody(named, { version: "1.8.1", servedModel: "profile-3" }), named);
});

Deno.test("normalizeUpstreamError() puts FastAPI's shapes into OpenAI's", () => {
  assert.deepEqual(
    normalizeUpstreamError(422, '{"detail":[{"loc":["body","messages",0,"role"],"msg":"bad role"}]}'),
    {
      status: 400,
      body: {
        error: {
          message: "messages[0].role: bad role",
          type: "invalid_request_error",
          param: "messages[0].role",
          code: "invalid_request",
        },
      },
    },
  );
  const wrapped = normalizeUpstreamError(
    429,
    '{"detail":{"error":{"message":"busy","type":"rate_limit_exceeded","param":null,"code":"429"}}}',
  );
  assert.deepEqual(wrapped.body.error, {
    message: "busy",
    type: "rate_limit_error",
    param: null,
    code: "429",
  });
  assert.equal(normalizeUpstreamError(404, '{"detail":"Not Found"}').body.error.code, "unsupported_endpoint");
  assert.equal(normalizeUpstreamError(500, "oops").body.error.type, "server_error");
});
