import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { startGateway } from "./setup.ts";
import { post } from "./bridge_helpers.ts";

/** A word-level tokenizer: one token per known word, `[UNK]` for the rest, and each punctuation mark. */
function tokenizerJson(words: string[]): Record<string, unknown> {
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: { type: "Lowercase" },
    pre_tokenizer: { type: "Whitespace" },
    post_processor: null,
    decoder: null,
    model: {
      type: "WordLevel",
      vocab: Object.fromEntries(["[UNK]", ...words].map((w, i) => [w, i])),
      unk_token: "[UNK]",
    },
  };
}

Deno.test("/v1/messages/count_tokens counts with the model's own tokenizer when its files are here, else estimates and says so", async () => {
  await using gw = await startGateway();
  const local = await gw.profile({ name: "tokenized" });
  await Deno.writeTextFile(
    `${local.model_path}/tokenizer.json`,
    JSON.stringify(tokenizerJson(["user", "hello"])),
  );
  // A repo id that is not in the cache: no tokenizer to read.
  await gw.profile({ name: "elsewhere", model_path: "mlx-community/Not-Downloaded-4bit" });
  const { key } = await gw.key();
  const client = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });

  const counted = await client.messages.countTokens({
    model: "tokenized",
    messages: [{ role: "user", content: "hello hello world" }],
  });
  // "user", "\n" is whitespace, then hello hello world: four words, each one token.
  assert.deepEqual(counted, { input_tokens: 4 });
  const raw = await post(`${gw.url}/v1/messages/count_tokens?beta=true`, {
    model: "tokenized",
    system: "hello",
    messages: [{ role: "user", content: "hello" }],
  }, { "x-api-key": key });
  assert.equal(raw.headers.get("x-mlx-manager-token-count"), "tokenizer");
  assert.deepEqual(await raw.json(), { input_tokens: 4 }, "system hello user hello");

  const estimated = await post(`${gw.url}/v1/messages/count_tokens`, {
    model: "elsewhere",
    messages: [{ role: "user", content: "x".repeat(400) }],
  }, { "x-api-key": key });
  assert.equal(estimated.headers.get("x-mlx-manager-token-count"), "estimate");
  const { input_tokens } = await estimated.json();
  assert.ok(input_tokens >= 100 && input_tokens < 110, String(input_tokens));

  const unknown = await post(`${gw.url}/v1/messages/count_tokens`, { model: "nope", messages: [] }, {
    "x-api-key": key,
  });
  assert.equal(unknown.status, 400, "an empty message list is refused first");
  const missing = await post(`${gw.url}/v1/messages/count_tokens`, {
    model: "nope",
    messages: [{ role: "user", content: "x" }],
  }, { "x-api-key": key });
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error.type, "not_found_error");
  const anonymous = await post(`${gw.url}/v1/messages/count_tokens`, {
    model: "tokenized",
    messages: [{ role: "user", content: "x" }],
  });
  assert.equal(anonymous.status, 401);
  assert.equal((await anonymous.json()).error.type, "authentication_error");
  assert.equal(gw.rt.deps.supervisor.status(local.id).state, "stopped", "counting starts no model");
});
