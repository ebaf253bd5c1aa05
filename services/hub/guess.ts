/**
 * Characteristics guessed when no `config.json` can be read (a gated
 * repository, a hub that timed out): from the name, the tags and the partial
 * config the hub lists.
 *
 * @module
 */
import type { ModelCharacteristics } from "../../lib/model_types.ts";
import { ARCHITECTURES, extractCharacteristics, type ModelConfig } from "./detection.ts";
import { bitsFromName } from "./names.ts";

/**
 * Characteristics guessed without a `config.json`: from the id, the tags and the
 * partial config the hub lists (`model_type`, `architectures`).
 *
 * @example
 * ```ts
 * guessCharacteristics("mlx-community/Qwen2.5-VL-7B-Instruct-8bit", ["mlx"]).quantization_bits; // 8
 * ```
 */
export function guessCharacteristics(
  modelId: string,
  tags: readonly string[] = [],
  hubConfig: ModelConfig | null = null,
): ModelCharacteristics {
  const name = modelId.split("/").pop()!;
  const config: ModelConfig = { ...(hubConfig ?? {}) };
  if (!config.model_type) {
    const known = ARCHITECTURES.find(([key]) => name.toLowerCase().includes(key));
    if (known) config.model_type = known[0];
  }
  const result = extractCharacteristics(config, tags, modelId);
  const lowerTags = tags.map((t) => t.toLowerCase());
  if (
    !result.is_multimodal &&
    (/(^|[-_])(vl|vision)([-_]|$)/i.test(name) || lowerTags.includes("image-text-to-text"))
  ) {
    result.is_multimodal = true;
    result.multimodal_type = "vision";
  }
  const bits = bitsFromName(modelId);
  if (bits !== null) result.quantization_bits = bits;
  result.source = "name";
  return result;
}
