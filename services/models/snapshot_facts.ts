/**
 * What a model's files say (sizes, weights, `config.json`, last access),
 * read once per snapshot and kept until the snapshot changes: a listing of a
 * large cache then costs a few metadata calls per model instead of one per file.
 *
 * @module
 */
import { join } from "node:path";
import type { ModelConfig } from "../hub/detection.ts";
import { readConfigFile, walkFilesSync } from "./scan.ts";

/** The facts of one snapshot that come from its files alone. */
export interface SnapshotFacts {
  /** Bytes of every blob of the repository, each counted once. */
  size: number;
  /** Bytes of the snapshot's weight files. */
  weights: number;
  config: ModelConfig | null;
  /** The newest access time of a blob, ISO 8601, or null. */
  lastAccess: string | null;
}

const WEIGHTS = /\.(safetensors|npz|gguf)$/;

/** Reads the facts of the snapshot `snapshotDir` of the repository folder `repo`. */
export async function readSnapshotFacts(repo: string, snapshotDir: string): Promise<SnapshotFacts> {
  const blobs = walkFilesSync(join(repo, "blobs"));
  const files = walkFilesSync(snapshotDir);
  const config = await readConfigFile(join(snapshotDir, "config.json"));
  let newest = 0;
  for (const b of blobs) newest = Math.max(newest, b.atime?.getTime() ?? 0);
  return {
    size: blobs.reduce((n, f) => n + f.size, 0),
    weights: files.filter((f) => WEIGHTS.test(f.path)).reduce((n, f) => n + f.size, 0),
    config,
    lastAccess: newest > 0 ? new Date(newest).toISOString() : null,
  };
}

function stamp(path: string): string {
  try {
    const info = Deno.statSync(path);
    return `${info.mtime?.getTime() ?? 0}:${info.size}`;
  } catch {
    return "-";
  }
}

/**
 * A key that changes when the snapshot's facts may have: its commit, and the
 * modification times of the `blobs/` and snapshot folders (a download adds
 * or renames files in both) and of `config.json` (followed to its blob).
 * Three `stat` calls of local metadata: synchronous, since a thread-pool
 * round trip each would cost more than the calls themselves.
 */
export function snapshotKey(repo: string, snapshot: { dir: string; commit: string }): string {
  return [
    snapshot.commit,
    stamp(join(repo, "blobs")),
    stamp(snapshot.dir),
    stamp(join(snapshot.dir, "config.json")),
  ].join("|");
}

/**
 * Values by model id, each valid for one key: a different key loads again.
 *
 * @example
 * ```ts
 * const cache = new KeyedCache<SnapshotFacts>();
 * const facts = await cache.get(id, snapshotKey(repo, snapshot), () => readSnapshotFacts(repo, snapshot.dir));
 * ```
 */
export class KeyedCache<T> {
  readonly #entries = new Map<string, { key: string; value: T }>();

  /** The value of `id` for `key`, loading it when the key differs from the cached one. */
  get(id: string, key: string, load: () => T): T {
    const hit = this.#entries.get(id);
    if (hit && hit.key === key) return hit.value;
    const value = load();
    this.#entries.set(id, { key, value });
    if (value instanceof Promise) {
      // A failed load is not kept: the next listing loads again.
      value.catch(() => {
        if (this.#entries.get(id)?.value === value) this.#entries.delete(id);
      });
    }
    return value;
  }

  /** Forgets one model (it was deleted). */
  delete(id: string): void {
    this.#entries.delete(id);
  }

  /** Forgets every model not in `ids` (they left the cache). */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.#entries.keys()) if (!ids.has(id)) this.#entries.delete(id);
  }
}
