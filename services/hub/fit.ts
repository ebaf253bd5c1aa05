/**
 * "Will it fit": the weights plus a key/value cache estimate for a working
 * context, against this machine's memory. Pure arithmetic; the total memory is
 * passed in.
 *
 * @module
 */
import type { FitVerdict, ModelCharacteristics } from "../../lib/model_types.ts";

/**
 * Share of memory a model may use comfortably when nobody says otherwise:
 * the default of `MLX_MANAGER_MAX_MEMORY_PERCENT`, which the System page shows
 * too, so both speak of one budget.
 */
export const DEFAULT_BUDGET_SHARE = 0.8;
/** Above this share of all memory the system starts swapping hard. */
export const TIGHT_SHARE = 0.9;
/**
 * The context a model is assumed to serve: a long conversation, or the model's
 * maximum when that is shorter. Planning for the full maximum (often 128k)
 * would call nearly every model too big.
 */
export const WORKING_CONTEXT = 8_192;
/** Runtime overhead on top of the weights (activations, buffers). */
const OVERHEAD = 1.05;
/**
 * Fewer bytes than this per parameter cannot be a model's whole weights: one
 * bit (MLX quantizes to two bits at the least). Less means the files listed
 * are not the weights (an adapter, a projector, weights in another format).
 */
const MIN_BYTES_PER_PARAMETER = 1 / 8;

/**
 * Whether `weightsBytes` can be the weights of a model of `parameters`
 * (unknown parameters: any size can).
 *
 * @example
 * ```ts
 * plausibleWeights(4.4e9, 8e9); // true: 4-bit
 * plausibleWeights(4.6e6, 7e9); // false: a few megabytes cannot hold 7B parameters
 * ```
 */
export function plausibleWeights(weightsBytes: number, parameters: number | null): boolean {
  return parameters === null || parameters <= 0 || weightsBytes >= parameters * MIN_BYTES_PER_PARAMETER;
}

/**
 * The bytes of the key/value cache for `tokens` at fp16, or null when the shape is unknown.
 *
 * @example
 * ```ts
 * kvCacheBytes({ ...c, num_hidden_layers: 36, num_key_value_heads: 8, head_dim: 128 }, 8192); // 1207959552
 * ```
 */
export function kvCacheBytes(c: ModelCharacteristics | null, tokens: number): number | null {
  if (!c?.num_hidden_layers || !c.num_attention_heads) return null;
  const kvHeads = c.num_key_value_heads ?? c.num_attention_heads;
  const headDim = c.head_dim ?? (c.hidden_size ? c.hidden_size / c.num_attention_heads : null);
  if (!headDim) return null;
  return Math.round(2 * c.num_hidden_layers * kvHeads * headDim * tokens * 2);
}

/**
 * Judges whether a model of `weightsBytes` fits in `budgetShare` of
 * `totalMemory`. The verdict is `unknown` when the size is, or when it is too
 * small for the model's parameter count to be its weights.
 *
 * @example
 * ```ts
 * fitVerdict(4.5e9, characteristics, 16 * 2 ** 30).verdict; // "fits"
 * ```
 */
export function fitVerdict(
  weightsBytes: number | null,
  characteristics: ModelCharacteristics | null,
  totalMemory: number,
  budgetShare: number = DEFAULT_BUDGET_SHARE,
): FitVerdict {
  const contextTokens = Math.min(
    characteristics?.max_position_embeddings ?? WORKING_CONTEXT,
    WORKING_CONTEXT,
  );
  const budget = Math.round(totalMemory * budgetShare);
  const base = {
    weights_bytes: weightsBytes,
    context_tokens: contextTokens,
    budget_bytes: budget,
    total_memory_bytes: totalMemory,
  };
  const known = weightsBytes !== null && weightsBytes > 0 &&
    plausibleWeights(weightsBytes, characteristics?.parameter_count ?? null);
  if (!known || totalMemory <= 0) {
    return { ...base, verdict: "unknown", needed_bytes: null, kv_cache_bytes: null };
  }
  // Without the model's shape, a tenth of the weights is a fair guess for a mid-size context.
  const kv = kvCacheBytes(characteristics, contextTokens) ?? Math.round(weightsBytes * 0.1);
  const needed = Math.round(weightsBytes * OVERHEAD + kv);
  const verdict = needed <= budget
    ? "fits"
    : needed <= totalMemory * Math.max(TIGHT_SHARE, budgetShare)
    ? "tight"
    : "too_big";
  return { ...base, verdict, needed_bytes: needed, kv_cache_bytes: kv };
}

const DTYPE_BYTES: Record<string, number> = {
  F64: 8,
  I64: 8,
  U64: 8,
  F32: 4,
  I32: 4,
  U32: 4,
  BF16: 2,
  F16: 2,
  I16: 2,
  U16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
};

/**
 * The size of the weights from the hub's safetensors summary (`{parameters: {BF16: n, U32: m}}`).
 *
 * @example
 * ```ts
 * weightsFromSafetensors({ parameters: { BF16: 100, U32: 50 } }); // 400
 * ```
 */
export function weightsFromSafetensors(summary: unknown): number | null {
  const params = (summary as { parameters?: Record<string, unknown> } | null)?.parameters;
  if (!params || typeof params !== "object") return null;
  let bytes = 0;
  for (const [dtype, count] of Object.entries(params)) {
    if (typeof count !== "number") continue;
    bytes += count * (DTYPE_BYTES[dtype.toUpperCase()] ?? 2);
  }
  return bytes > 0 ? bytes : null;
}

/**
 * A size estimate from a name ("Qwen3-8B-4bit"), for a model whose files are
 * not listed: parameters × bytes per parameter × 1.1 (weights plus a tenth for
 * embeddings and metadata), in bytes; null without a parameter count.
 *
 * @example
 * ```ts
 * estimateSizeFromName("mlx-community/Qwen3-8B-4bit"); // ≈ 4.4e9 (4.10 GiB)
 * ```
 */
export function estimateSizeFromName(modelId: string): number | null {
  const name = modelId.split("/").pop()!.toLowerCase();
  const match = name.match(/(\d+\.?\d*)b(?![a-z])/);
  if (!match) return null;
  let perParam = 0.5;
  if (/bf16|fp16|16bit/.test(name)) perParam = 2;
  else if (/8bit|8-bit/.test(name)) perParam = 1;
  else if (/4bit|4-bit/.test(name)) perParam = 0.5;
  else if (/3bit|3-bit/.test(name)) perParam = 0.375;
  else if (/2bit|2-bit/.test(name)) perParam = 0.25;
  return Math.round(Number(match[1]) * 1e9 * perParam * 1.1);
}

/** Bytes as GiB with two decimals: the API's `size_gb` fields. */
export function toGib(bytes: number | null): number {
  return bytes ? Math.round((bytes / 1024 ** 3) * 100) / 100 : 0;
}
