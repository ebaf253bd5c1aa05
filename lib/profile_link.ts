/**
 * The "create profile" link of a local model: the profile form reads these
 * query parameters to pre-fill itself. Browser-safe.
 *
 * @module
 */
import type { ModelCharacteristics } from "./model_types.ts";

/**
 * The "create profile" link for a model, pre-filled for the profile form.
 *
 * @example
 * ```ts
 * createProfileUrl("mlx-community/Qwen3-8B-4bit", characteristics, { tool_call_parser: "qwen3" });
 * // "/profiles/new?model_path=mlx-community%2FQwen3-8B-4bit&model_type=lm&tool_call_parser=qwen3&name=Qwen3-8B-4bit"
 * ```
 */
export function createProfileUrl(
  modelId: string,
  characteristics: ModelCharacteristics | null,
  parsers: Record<string, string | undefined>,
): string {
  const params = new URLSearchParams({
    model_path: modelId,
    model_type: characteristics?.is_multimodal ? "multimodal" : "lm",
  });
  for (const key of ["tool_call_parser", "reasoning_parser", "message_converter"]) {
    if (parsers[key]) params.set(key, parsers[key]!);
  }
  params.set("name", modelId.split("/").pop()!);
  return `/profiles/new?${params}`;
}
