/**
 * The Hugging Face cache layout, exactly as the Python `huggingface_hub`
 * writes it, so `mlx-openai-server` finds our downloads and we find its:
 *
 * ```
 * <cache>/models--<org>--<name>/
 *   blobs/<sha256 or git oid>          file contents (".incomplete" while downloading)
 *   refs/main                          the commit hash
 *   snapshots/<commit>/<path>          relative symlinks into ../../blobs/<id>
 * ```
 *
 * @module
 */
import { isAbsolute, join, relative, resolve } from "node:path";

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,95}$/;

/**
 * Whether `id` is a Hugging Face repository id `org/name`: two segments of
 * letters, digits, `_`, `.` and `-`, without `--` or `..`.
 *
 * @example
 * ```ts
 * isModelId("mlx-community/Qwen3-8B-4bit"); // true
 * isModelId("../etc"); // false
 * ```
 */
export function isModelId(id: string): boolean {
  const parts = id.split("/");
  return parts.length === 2 &&
    parts.every((p) => SEGMENT.test(p) && !p.includes("--") && !p.includes("..") && !p.endsWith("."));
}

/** The cache folder name of a repository: `models--org--name`. */
export function repoFolderName(id: string): string {
  return `models--${id.replace("/", "--")}`;
}

/**
 * The repository id of a cache folder name, or null when it is not a model folder.
 *
 * @example
 * ```ts
 * idFromFolderName("models--mlx-community--Qwen3-8B-4bit"); // "mlx-community/Qwen3-8B-4bit"
 * ```
 */
export function idFromFolderName(name: string): string | null {
  if (!name.startsWith("models--")) return null;
  const parts = name.slice("models--".length).split("--");
  if (parts.length !== 2) return null;
  const id = parts.join("/");
  return isModelId(id) ? id : null;
}

/** The folder of a repository in the cache. */
export function repoDir(cacheDir: string, id: string): string {
  return join(cacheDir, repoFolderName(id));
}

/** The path of a blob. */
export function blobPath(cacheDir: string, id: string, blobId: string): string {
  return join(repoDir(cacheDir, id), "blobs", blobId);
}

/** The path of a file in a snapshot. */
export function snapshotFile(cacheDir: string, id: string, commit: string, path: string): string {
  return join(repoDir(cacheDir, id), "snapshots", commit, ...path.split("/"));
}

/**
 * The relative link target from `snapshots/<commit>/<path>` to its blob, as
 * Python computes it with `os.path.relpath`: one `..` per nested folder.
 *
 * @example
 * ```ts
 * blobLinkTarget("config.json", "abc"); // "../../blobs/abc"
 * blobLinkTarget("vision/sub/w.safetensors", "abc"); // "../../../../blobs/abc"
 * ```
 */
export function blobLinkTarget(path: string, blobId: string): string {
  const depth = path.split("/").length - 1;
  return `${"../".repeat(2 + depth)}blobs/${blobId}`;
}

/**
 * Whether a file path from the hub is safe to join onto a snapshot folder: relative,
 * no `.`/`..` or empty segments, no backslashes or NUL.
 *
 * @example
 * ```ts
 * isSafeRepoPath("vision/config.json"); // true
 * isSafeRepoPath("../../etc/passwd"); // false
 * ```
 */
export function isSafeRepoPath(path: string): boolean {
  if (!path || path.startsWith("/") || /[\\\0]/.test(path)) return false;
  return path.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** Whether a blob id from the hub is a plain hex digest (it becomes a file name). */
export function isSafeBlobId(blobId: string): boolean {
  return /^[0-9a-f]{40,64}$/i.test(blobId);
}

/** Whether a commit hash is a plain 40-hex git hash. */
export function isCommitHash(commit: string): boolean {
  return /^[0-9a-f]{40}$/i.test(commit);
}

/**
 * Whether `child` is strictly inside `parent` (both already resolved).
 *
 * @example
 * ```ts
 * isInside("/cache", "/cache/models--a--b"); // true
 * isInside("/cache", "/cache-other"); // false
 * ```
 */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel !== "" && rel !== ".." && !rel.startsWith("../") && !isAbsolute(rel);
}
