/**
 * File operations of a download in the Hugging Face cache: snapshot links,
 * the `refs/main` file, and removing what a cancelled job left.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { DownloadFileRow } from "../../db/downloads.ts";
import { blobLinkTarget, blobPath, repoDir, snapshotFile } from "../models/cache_layout.ts";

/** Whether a path exists (without following a final symlink). */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The size of a file, or -1 when it is missing. */
export async function sizeOf(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch {
    return -1;
  }
}

/**
 * Points `snapshots/<commit>/<path>` at its blob with a relative link, as
 * `huggingface_hub` does; an existing entry pointing elsewhere is replaced.
 *
 * @example
 * ```ts
 * await linkSnapshotFile(cache, "org/name", commit, "vision/config.json", oid);
 * // snapshots/<commit>/vision/config.json -> ../../../blobs/<oid>
 * ```
 */
export async function linkSnapshotFile(
  cacheDir: string,
  modelId: string,
  commit: string,
  path: string,
  blobId: string,
): Promise<void> {
  const link = snapshotFile(cacheDir, modelId, commit, path);
  const target = blobLinkTarget(path, blobId);
  const current = await Deno.readLink(link).catch(() => null);
  if (current === target) return;
  await Deno.mkdir(dirname(link), { recursive: true });
  if (current !== null || await exists(link)) await Deno.remove(link, { recursive: true });
  await Deno.symlink(target, link);
}

/**
 * Writes `refs/<name>` with the commit, atomically.
 *
 * @example
 * ```ts
 * await writeRef(cache, "org/name", commit); // refs/main holds the commit, no newline
 * ```
 */
export async function writeRef(
  cacheDir: string,
  modelId: string,
  commit: string,
  name = "main",
): Promise<void> {
  const refs = join(repoDir(cacheDir, modelId), "refs");
  await Deno.mkdir(refs, { recursive: true });
  const temp = join(refs, `.${name}.${crypto.randomUUID()}.tmp`);
  await Deno.writeTextFile(temp, commit);
  await Deno.rename(temp, join(refs, name));
}

async function removeQuietly(path: string, recursive = false): Promise<void> {
  await Deno.remove(path, { recursive }).catch(() => {});
}

/** Removes empty folders from `dir` up to (not including) `stop`. */
async function pruneEmpty(dir: string, stop: string): Promise<void> {
  let current = dir;
  while (current.startsWith(stop) && current !== stop) {
    try {
      await Deno.remove(current);
    } catch {
      return;
    }
    current = dirname(current);
  }
}

/**
 * Removes what a job wrote: every `.incomplete` part, and either the whole
 * repository folder (when the job created it) or the blobs and links it added.
 *
 * @example
 * ```ts
 * await removeJobData(cache, row.modelId, row.commitSha, listDownloadFiles(db, row.id), row.repoExisted);
 * ```
 */
export async function removeJobData(
  cacheDir: string,
  modelId: string,
  commit: string | null,
  files: readonly DownloadFileRow[],
  repoExisted: boolean,
): Promise<void> {
  for (const f of files) await removeQuietly(`${blobPath(cacheDir, modelId, f.blobId)}.incomplete`);
  if (!repoExisted) return await removeQuietly(repoDir(cacheDir, modelId), true);
  for (const f of files.filter((f) => f.fetched)) {
    await removeQuietly(blobPath(cacheDir, modelId, f.blobId));
    if (commit) {
      const link = snapshotFile(cacheDir, modelId, commit, f.path);
      await removeQuietly(link);
      await pruneEmpty(dirname(link), join(repoDir(cacheDir, modelId), "snapshots"));
    }
  }
}

/**
 * Bytes already in `.incomplete` parts of these files (they need not be fetched again).
 *
 * @example
 * ```ts
 * const already = await partialBytes(cache, "org/name", pendingFiles);
 * ```
 */
export async function partialBytes(
  cacheDir: string,
  modelId: string,
  files: readonly DownloadFileRow[],
): Promise<number> {
  let total = 0;
  for (const f of files) {
    total += Math.max(0, await sizeOf(`${blobPath(cacheDir, modelId, f.blobId)}.incomplete`));
  }
  return total;
}
