import assert from "node:assert/strict";
import OpenAI from "openai";
import { startGateway } from "./setup.ts";

Deno.test("/v1 errors: a failed start's 503 leads with why it failed, then the last lines of the log", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "too-big" }, { fail: "oom", load_delay_ms: 0 });
  const { key } = await gw.key();
  const client = gw.client(key, { maxRetries: 0 });
  let error: unknown = null;
  try {
    await client.chat.completions.create({ model: "too-big", messages: [{ role: "user", content: "x" }] });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof OpenAI.InternalServerError, `a 503, not ${error}`);
  assert.equal(error.status, 503);
  assert.equal(error.code, "model_start_failed");
  const lines = error.message.split("\n");
  assert.equal(lines[0], `503 "too-big" could not start: Not enough GPU memory for this model`);
  assert.equal(lines[1], "The last lines of its log:");
  assert.match(lines.at(-1)!, /Insufficient Memory/, "the log ends the message, at its last line");
  assert.ok(lines.length <= 2 + 8, `at most 8 log lines, not ${lines.length - 2}`);
  assert.ok(!lines.slice(2).some((l) => l.includes("MLX Server v")), "not the banner the log starts with");
});

Deno.test("/v1 errors: a request for the wrong kind of model names its type with the right article", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "chatty" });
  const { key } = await gw.key();
  const client = gw.client(key, { maxRetries: 0 });
  let error: unknown = null;
  try {
    await client.embeddings.create({ model: "chatty", input: "x" });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof OpenAI.BadRequestError, `a 400, not ${error}`);
  assert.equal(error.code, "model_type_mismatch");
  assert.match(error.message, /The model `chatty` is an lm model and does not serve \/v1\/embeddings/);
});
