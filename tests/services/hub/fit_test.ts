import assert from "node:assert/strict";
import {
  estimateSizeFromName,
  fitVerdict,
  kvCacheBytes,
  plausibleWeights,
  toGib,
  weightsFromSafetensors,
} from "../../../services/hub/fit.ts";
import { extractCharacteristics } from "../../../services/hub/detection.ts";
import { MODEL_CONFIGS } from "../../fixtures/model_configs.ts";

const GiB = 1024 ** 3;
const qwen3 = extractCharacteristics(
  MODEL_CONFIGS["mlx-community/Qwen3-8B-4bit"],
  [],
  "mlx-community/Qwen3-8B-4bit",
);

Deno.test("kvCacheBytes() is 2 × layers × kv heads × head dim × tokens × 2 bytes", () => {
  assert.equal(kvCacheBytes(qwen3, 32768), 2 * 36 * 8 * 128 * 32768 * 2);
  assert.equal(kvCacheBytes(null, 1000), null);
  // Without head_dim it comes from hidden_size / heads.
  assert.equal(
    kvCacheBytes({ ...qwen3, head_dim: undefined, hidden_size: 4096 }, 10),
    2 * 36 * 8 * 128 * 10 * 2,
  );
});

Deno.test("fitVerdict() compares weights plus context with 80 % of memory unless told another share", () => {
  const weights = 4.6e9;
  const kv = 2 * 36 * 8 * 128 * 8192 * 2; // a working context of 8k tokens, not the model's 40k maximum
  const big = fitVerdict(weights, qwen3, 64 * GiB);
  assert.equal(big.verdict, "fits");
  assert.equal(big.context_tokens, 8192);
  assert.equal(big.kv_cache_bytes, kv);
  assert.equal(big.needed_bytes, Math.round(weights * 1.05 + kv));
  assert.equal(big.budget_bytes, Math.round(64 * GiB * 0.8));
  assert.equal(fitVerdict(weights, qwen3, 64 * GiB, 0.5).budget_bytes, Math.round(64 * GiB * 0.5));
  assert.equal(fitVerdict(weights, qwen3, 8 * GiB, 0.5).verdict, "tight", "over half, under 90 %");
  assert.equal(fitVerdict(weights, qwen3, 7 * GiB, 0.95).verdict, "fits");
  assert.equal(fitVerdict(weights, qwen3, 8 * GiB).verdict, "fits");
  assert.equal(fitVerdict(weights, qwen3, 7 * GiB).verdict, "tight");
  // A model whose maximum context is short is planned at that maximum.
  assert.equal(
    fitVerdict(weights, { ...qwen3, max_position_embeddings: 2048 }, 64 * GiB).context_tokens,
    2048,
  );
  assert.equal(fitVerdict(weights, qwen3, 4 * GiB).verdict, "too_big");
  assert.equal(fitVerdict(null, qwen3, 64 * GiB).verdict, "unknown");
});

Deno.test("fitVerdict() guesses the context cost when the model's shape is unknown", () => {
  const v = fitVerdict(10e9, null, 16 * GiB);
  assert.equal(v.kv_cache_bytes, 1e9);
  assert.equal(v.context_tokens, 8192);
});

Deno.test("weightsFromSafetensors() sums parameters by dtype size", () => {
  assert.equal(weightsFromSafetensors({ parameters: { BF16: 100, U32: 50 }, total: 150 }), 400);
  assert.equal(weightsFromSafetensors(null), null);
  assert.equal(weightsFromSafetensors({ parameters: {} }), null);
});

Deno.test("estimateSizeFromName() estimates parameters × bytes per parameter × 1.1", () => {
  const gib = (id: string) => toGib(estimateSizeFromName(id));
  assert.equal(gib("mlx-community/Qwen3-8B-4bit"), 4.1);
  assert.ok(gib("x/Llama-3.1-70B-4bit") > 35 && gib("x/Llama-3.1-70B-4bit") < 36.5);
  assert.ok(gib("x/Mistral-7B-bf16") > 13 && gib("x/Mistral-7B-bf16") < 16);
  assert.ok(gib("x/Qwen3-8B-8bit") > 7.5 && gib("x/Qwen3-8B-8bit") < 9);
  assert.ok(gib("x/Qwen3-8B-3bit") > 2.8 && gib("x/Qwen3-8B-3bit") < 3.5);
  assert.ok(gib("x/Qwen3-8B-2bit") > 1.8 && gib("x/Qwen3-8B-2bit") < 2.3);
  assert.ok(gib("x/Qwen3-1.7B-4bit") > 0.7 && gib("x/Qwen3-1.7B-4bit") < 1.1);
  assert.equal(estimateSizeFromName("x/Model-without-count"), null);
  assert.equal(toGib(5_000_000_000), 4.66);
});

Deno.test("fitVerdict() calls the size unknown when the weights listed are too small for the parameter count", () => {
  const seven = extractCharacteristics(
    MODEL_CONFIGS["mlx-community/Qwen3-8B-4bit"],
    [],
    "org/Qwen2.5-7B-4bit",
  );
  assert.equal(seven.parameter_count, 7e9);
  const tiny = fitVerdict(4.6e6, seven, 64 * GiB);
  assert.equal(tiny.verdict, "unknown", "4.6 MB cannot be the weights of 7B parameters");
  assert.equal(tiny.needed_bytes, null);
  assert.equal(tiny.weights_bytes, 4.6e6, "what the files list is kept, to say so");
  assert.equal(fitVerdict(4.4e9, seven, 64 * GiB).verdict, "fits", "4-bit weights are plausible");
  assert.equal(fitVerdict(4.6e6, null, 64 * GiB).verdict, "fits", "without a parameter count any size goes");
  assert.equal(plausibleWeights(7e9 / 8, 7e9), true, "one bit a parameter is the least");
  assert.equal(plausibleWeights(7e9 / 8 - 1, 7e9), false);
  assert.equal(plausibleWeights(1, null), true);
});
