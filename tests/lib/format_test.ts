import assert from "node:assert/strict";
import { commaList, round2, withArticle } from "../../lib/format.ts";

Deno.test("round2() rounds to two decimals, half away from zero on the second", () => {
  assert.equal(round2(12.3456), 12.35);
  assert.equal(round2(0.125), 0.13);
  assert.equal(round2(7), 7);
  assert.equal(round2(99.994), 99.99);
});

Deno.test("commaList() trims each item and drops empty ones", () => {
  assert.deepEqual(commaList(" qwen, ,llama "), ["qwen", "llama"]);
  assert.deepEqual(commaList(" , "), []);
  assert.deepEqual(commaList(""), []);
});

Deno.test("withArticle() says an lm, an embeddings, an image-edit, a multimodal, a whisper model", () => {
  assert.deepEqual(
    ["lm", "embeddings", "image-edit", "multimodal", "whisper", "image-generation", "MCP", "gguf"].map(
      withArticle,
    ),
    [
      "an lm",
      "an embeddings",
      "an image-edit",
      "a multimodal",
      "a whisper",
      "an image-generation",
      "an MCP",
      "a gguf",
    ],
  );
});
