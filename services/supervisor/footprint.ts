/**
 * The memory a model is expected to take before it runs: its weights on disk
 * plus a context estimate, the same arithmetic as the "will it fit" verdict.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { fitVerdict } from "../hub/fit.ts";
import { repoDir } from "../models/cache_layout.ts";
import { walkFiles } from "../models/scan.ts";

const WEIGHTS = /\.(safetensors|npz|gguf|bin)$/;

/**
 * Bytes of the weights of a model folder, or of a repo id in the Hugging Face cache.
 *
 * @example
 * ```ts
 * await weightsOnDisk("mlx-community/Qwen3-8B-4bit", hubCache); // 4617839616
 * ```
 */
export async function weightsOnDisk(modelPath: string, hubCache: string): Promise<number> {
  // A repo's blobs hold each file once; a folder is read as it is.
  const dir = isAbsolute(modelPath) ? modelPath : join(repoDir(hubCache, modelPath), "snapshots");
  const files = await walkFiles(dir);
  return files.filter((f) => WEIGHTS.test(f.path)).reduce((n, f) => n + f.size, 0);
}

/**
 * The expected footprint of a model: weights plus a working-context estimate
 * (0 when no weights are found, so an unknown model is charged its measured peak only).
 */
export async function estimateFootprint(modelPath: string, hubCache: string): Promise<number> {
  const weights = await weightsOnDisk(modelPath, hubCache);
  return fitVerdict(weights || null, null, Number.MAX_SAFE_INTEGER).needed_bytes ?? 0;
}
