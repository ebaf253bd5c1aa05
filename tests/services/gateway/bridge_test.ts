import assert from "node:assert/strict";
import { bridgedBody } from "../../../services/gateway/bridge.ts";
import type { ParsedBody } from "../../../services/gateway/body.ts";
import { badRequest } from "../../../services/gateway/errors.ts";

const caller = { userId: 3, keyId: 9, isAdmin: false, models: null };
const parsed: ParsedBody = {
  raw: new TextEncoder().encode('{"model":"m","max_tokens":5,"stream":true}'),
  json: { model: "m", max_tokens: 5, stream: true },
  model: "m",
  stream: true,
  contentType: "application/json",
};

Deno.test("bridgedBody() forwards the chat request a bridge built, routed by its model and stream fields", () => {
  let seen: unknown = null;
  const chat = bridgedBody(parsed, {
    endpoint: "/v1/messages",
    toChat(body, who) {
      seen = [body, who];
      return { model: " alias ", messages: [{ role: "user", content: "x" }] };
    },
  }, caller);
  assert.deepEqual(seen, [parsed.json, caller], "the bridge sees the protocol's body and the caller");
  assert.equal(chat.model, "alias");
  assert.equal(chat.stream, false, "the chat request's own stream field counts");
  assert.deepEqual(JSON.parse(new TextDecoder().decode(chat.raw)), chat.json);
  assert.equal(chat.contentType, "application/json");
});

Deno.test("bridgedBody() lets the bridge's refusal through", () => {
  assert.throws(
    () =>
      bridgedBody(parsed, {
        endpoint: "/v1/responses",
        toChat() {
          throw badRequest("invalid_request", "input: required", "input");
        },
      }, caller),
    (e: unknown) => (e as { status: number }).status === 400,
  );
});
