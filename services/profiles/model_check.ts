/**
 * The check of a profile's model path when it is saved: a local folder must
 * exist, and a repository id must be one the hub knows (or already be in the
 * cache). What cannot be checked — the hub is offline or unreachable — never
 * blocks a save; only a path known to be wrong does.
 *
 * @module
 */
import { AppError, isAppError } from "../../lib/errors.ts";

/** Milliseconds the hub gets to answer the check of a save. */
export const MODEL_CHECK_TIMEOUT_MS = 5000;

/** What the check asks of the hub and the cache. */
export interface ModelCheckDeps {
  /** The repository's info from the hub; throws the hub's {@link AppError}s. */
  hubInfo(id: string): Promise<{ gated: false | "auto" | "manual" }>;
  /** Whether the repository has a snapshot in the cache. */
  isDownloaded(id: string): Promise<boolean>;
  /** Stats a local path (`Deno.stat`). */
  stat?: (path: string) => Promise<Deno.FileInfo>;
}

/** How a model path stands. */
export interface ModelPathCheck {
  /** Why the path cannot be used (the save is refused), or null. */
  error: string | null;
  /** The repository exists on the hub but is not in the cache: it can be downloaded. */
  download: string | null;
  /** Why it was not checked (offline, the hub did not answer), or null. */
  unchecked: string | null;
}

const OK: ModelPathCheck = { error: null, download: null, unchecked: null };

async function checkFolder(path: string, stat: (path: string) => Promise<Deno.FileInfo>) {
  try {
    const info = await stat(path);
    return info.isDirectory ? OK : { ...OK, error: `${path} is a file, not a model folder: give its folder` };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { ...OK, error: `There is no folder ${path} on this Mac: check the path` };
    }
    // A folder MLX Manager may not read can still be the server's to read.
    return { ...OK, unchecked: `Cannot look at ${path}: ${(error as Error).message}` };
  }
}

/**
 * Checks `path` (an absolute folder or a repository id).
 *
 * @example
 * ```ts
 * const check = await checkModelPath("mlx-community/Qwen3-8B-4bti", deps);
 * check.error; // "mlx-community/Qwen3-8B-4bti was not found on Hugging Face: check the name"
 * ```
 */
export async function checkModelPath(path: string, deps: ModelCheckDeps): Promise<ModelPathCheck> {
  if (path.startsWith("/")) return await checkFolder(path, deps.stat ?? Deno.stat);
  if (await deps.isDownloaded(path)) return OK;
  try {
    await deps.hubInfo(path);
    return { ...OK, download: path };
  } catch (error) {
    if (isAppError(error, "not_found")) return { ...OK, error: error.message };
    // Offline, unreachable, rate-limited, refused: the name may well be right.
    return { ...OK, unchecked: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The refusal of a save whose model path is wrong: 422 with the field's message.
 *
 * @example
 * ```ts
 * if (check.error) throw modelPathError(check.error);
 * ```
 */
export function modelPathError(message: string): AppError {
  return new AppError("invalid", message, { fields: { model_path: message }, reason: "model_not_found" });
}
