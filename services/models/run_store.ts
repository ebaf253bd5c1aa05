/**
 * Where the runs waiting for their download are kept, in Deno KV, so a
 * restart of the manager still starts their servers when the download ends.
 *
 * @module
 */

/** A run waiting for its download, as stored. */
export interface StoredRun {
  profile_id: number;
  profile_name: string;
  model_id: string;
  download_task_id: string;
  /**
   * The download of the profile's draft model, when it was missing too: the
   * start waits for both. Absent in runs stored before draft models.
   */
  draft_task_id?: string | null;
  /** The account that asked for the run; null for a request without one. */
  requested_by: number | null;
  /** When the run was asked for, in milliseconds since the epoch (orders the list). */
  requested_at: number;
}

/** Stores waiting runs; one per profile. */
export interface RunStore {
  /** Records `run`, replacing the profile's earlier one. */
  put(run: StoredRun): Promise<void>;
  /** Forgets the profile's run (nothing happens when it has none). */
  delete(profileId: number): Promise<void>;
  /** Every stored run, oldest first. */
  list(): Promise<StoredRun[]>;
}

const PREFIX = ["model_runs"] as const;

/**
 * A {@link RunStore} in Deno KV, under `["model_runs", profileId]`.
 *
 * @example
 * ```ts
 * const store = new KvRunStore(await Deno.openKv(":memory:"));
 * await store.put({ profile_id: 1, profile_name: "Qwen3-8B-4bit", model_id: "mlx-community/Qwen3-8B-4bit",
 *   download_task_id: "…", requested_by: 1, requested_at: Date.now() });
 * ```
 */
export class KvRunStore implements RunStore {
  readonly #kv: Deno.Kv;

  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  async put(run: StoredRun): Promise<void> {
    await this.#kv.set([...PREFIX, run.profile_id], run);
  }

  async delete(profileId: number): Promise<void> {
    await this.#kv.delete([...PREFIX, profileId]);
  }

  async list(): Promise<StoredRun[]> {
    const runs: StoredRun[] = [];
    for await (const entry of this.#kv.list<StoredRun>({ prefix: [...PREFIX] })) runs.push(entry.value);
    return runs.sort((a, b) => a.requested_at - b.requested_at);
  }
}
