import assert from "node:assert/strict";
import { draftCandidates } from "../../lib/draft_models.ts";
import type { LocalModel, ModelCharacteristics } from "../../lib/model_types.ts";

function local(
  id: string,
  weights: number,
  c: Partial<ModelCharacteristics> | null,
  complete = true,
): LocalModel {
  return {
    model_id: id,
    local_path: `/hub/${id}`,
    weights_bytes: weights,
    complete,
    characteristics: c === null
      ? null
      : { model_type: "qwen3", vocab_size: 151936, ...c } as ModelCharacteristics,
  } as LocalModel;
}

Deno.test("draftCandidates() offers smaller downloaded models of the main model's family, smallest first", () => {
  const models = [
    local("org/Qwen3-8B", 8, {}),
    local("org/Qwen3-1.7B", 2, {}),
    local("org/Qwen3-0.6B", 1, {}),
    local("org/Qwen3-32B", 32, {}),
    local("org/Llama-1B", 1, { model_type: "llama", vocab_size: 128256 }),
    local("org/Qwen3-odd-vocab", 1, { vocab_size: 32000 }),
    local("org/Qwen3-partial", 1, {}, false),
    local("org/unknown", 1, null),
  ];
  assert.deepEqual(draftCandidates("org/Qwen3-8B", models).map((m) => m.model_id), [
    "org/Qwen3-0.6B",
    "org/Qwen3-1.7B",
  ]);
  assert.deepEqual(draftCandidates("/hub/org/Qwen3-8B", models).length, 2, "a folder path names it too");
  assert.deepEqual(draftCandidates("org/not-downloaded", models), [], "an unknown family offers nothing");
});
