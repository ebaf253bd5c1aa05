/**
 * What a repository's name says about a model: its quantization and its
 * parameter count.
 *
 * @module
 */

const BITS_FROM_NAME: readonly [RegExp, number][] = [
  [/(bf16|fp16|f16|16bit|16-bit)/, 16],
  [/(8bit|8-bit|int8|q8)/, 8],
  [/(6bit|6-bit|q6)/, 6],
  [/(5bit|5-bit|q5)/, 5],
  [/(4bit|4-bit|int4|q4|mxfp4)/, 4],
  [/(3bit|3-bit|q3)/, 3],
  [/(2bit|2-bit|q2)/, 2],
];

/**
 * Quantization bits guessed from a repository name, or null.
 *
 * @example
 * ```ts
 * bitsFromName("mlx-community/Qwen3-8B-4bit"); // 4
 * ```
 */
export function bitsFromName(modelId: string): number | null {
  const name = modelId.split("/").pop()!.toLowerCase();
  return BITS_FROM_NAME.find(([re]) => re.test(name))?.[1] ?? null;
}

/**
 * The parameter count from a name such as "Qwen3-8B" (8e9) or "SmolLM-135M", or null.
 * For mixtures of experts ("30B-A3B") the total comes first.
 *
 * @example
 * ```ts
 * parametersFromName("mlx-community/Qwen3-30B-A3B-4bit"); // 30000000000
 * ```
 */
export function parametersFromName(modelId: string): number | null {
  const name = modelId.split("/").pop()!.toLowerCase();
  const match = name.match(/(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)([bm])(?![a-z])/) ??
    name.match(/(\d+(?:\.\d+)?)([bm])(?![a-z])/);
  if (!match) return null;
  const value = Number(match[1]) * (match[2] === "b" ? 1e9 : 1e6);
  return value > 0 ? value : null;
}
