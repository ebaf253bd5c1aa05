/**
 * Which local models can be a draft model for speculative decoding: a
 * smaller model of the same family (the same architecture and vocabulary,
 * since the main model checks the draft's tokens). Browser-safe and pure.
 *
 * @module
 */
import type { LocalModel } from "./model_types.ts";

/**
 * The local models that can draft for `main` (a repo id or folder), smallest
 * first: same `model_type` and, where both are known, the same vocabulary
 * size; smaller than the main model. Empty when the main model is not local
 * (its family is unknown).
 *
 * @example
 * ```ts
 * draftCandidates("mlx-community/Qwen3-8B-4bit", local).map((m) => m.model_id); // ["mlx-community/Qwen3-0.6B-4bit"]
 * ```
 */
export function draftCandidates(main: string, models: readonly LocalModel[]): LocalModel[] {
  const path = main.trim();
  const target = models.find((m) => m.model_id === path || m.local_path === path);
  const family = target?.characteristics;
  if (!target || !family) return [];
  return models
    .filter((m) => {
      const c = m.characteristics;
      if (m === target || !c || !m.complete || c.model_type !== family.model_type) return false;
      if (c.vocab_size && family.vocab_size && c.vocab_size !== family.vocab_size) return false;
      return m.weights_bytes < target.weights_bytes;
    })
    .sort((a, b) => a.weights_bytes - b.weights_bytes);
}
