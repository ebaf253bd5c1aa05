import assert from "node:assert/strict";
import OpenAI from "openai";
import { startGateway } from "./setup.ts";
import { jsonDepthWithin, MAX_JSON_DEPTH } from "../../../services/gateway/body.ts";

Deno.test("/v1 refuses JSON nested deeper than the limit with 400 invalid_json, before any model starts, and serves sane nesting", async () => {
  await using gw = await startGateway();
  const profile = await gw.profile({ name: "deep" });
  const { key } = await gw.key();
  const post = (body: string) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });
  const message = `"messages":[{"role":"user","content":"Hi"}]`;
  for (
    const deep of [
      "[".repeat(200_000) + "]".repeat(200_000),
      '{"a":'.repeat(50_000) + "1" + "}".repeat(50_000),
    ]
  ) {
    const res = await post(`{"model":"deep",${message},"metadata":${deep}}`);
    assert.equal(res.status, 400);
    const { error } = await res.json();
    assert.equal(error.code, "invalid_json");
    assert.equal(error.type, "invalid_request_error");
    assert.match(error.message, new RegExp(`more than ${MAX_JSON_DEPTH} deep`));
  }
  assert.equal(gw.rt.deps.supervisor.status(profile.id).state, "stopped", "nothing was started for it");
  // The official client's request with a schema nested a few levels deep goes through.
  const nested = {
    type: "object",
    properties: { a: { type: "object", properties: { b: { type: "array" } } } },
  };
  const answer = await gw.client(key).chat.completions.create({
    model: "deep",
    messages: [{ role: "user", content: "Hi" }],
    tools: [{ type: "function", function: { name: "f", parameters: nested } }],
  });
  assert.ok(answer.choices.length > 0);
  await assert.rejects(
    gw.client(key).chat.completions.create({
      model: "deep",
      messages: [{ role: "user", content: "Hi" }],
      metadata: JSON.parse("[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1)),
    }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && e.code === "invalid_json",
  );
});

Deno.test("jsonDepthWithin() counts nesting outside strings only", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  assert.equal(jsonDepthWithin(bytes("[[[]]]"), 3), true);
  assert.equal(jsonDepthWithin(bytes("[[[[]]]]"), 3), false);
  assert.equal(jsonDepthWithin(bytes('{"a":{"b":[1,{"c":2}]}}'), 4), true);
  assert.equal(jsonDepthWithin(bytes('{"a":{"b":[1,{"c":2}]}}'), 3), false);
  assert.equal(jsonDepthWithin(bytes(`{"text":"${"[".repeat(500)}"}`), 1), true, "brackets in a string");
  assert.equal(
    jsonDepthWithin(bytes(`{"text":"a\\"[[[[\\\\","x":[]}`), 2),
    true,
    "escaped quotes and backslashes",
  );
  assert.equal(jsonDepthWithin(bytes(`{"text":"a\\\\"}[[[[`), 3), false, "a string ending in a backslash");
});
