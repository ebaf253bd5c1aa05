/**
 * The models in the local Hugging Face cache: listing with sizes (each blob
 * counted once), characteristics, usage and last use; disk figures; and a
 * delete that never leaves the cache folder.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { Db } from "../../db/mod.ts";
import { findModelConfig, lastUses, modelTags, recordModelUse } from "../../db/model_configs.ts";
import { AppError } from "../../lib/errors.ts";
import { mapLimit } from "../../lib/pool.ts";
import type { DownloadBrief, LocalModel, ModelCharacteristics, StorageInfo } from "../../lib/model_types.ts";
import type { EventBus } from "../events.ts";
import { extractCharacteristics, type ModelConfig } from "../hub/detection.ts";
import { isDirectorySync, readConfigFile, readTextSync, walkFilesSync } from "./scan.ts";
import { KeyedCache, readSnapshotFacts, type SnapshotFacts, snapshotKey } from "./snapshot_facts.ts";
import { createProfileUrl } from "./profile_link.ts";
import { fitVerdict, toGib } from "../hub/fit.ts";
import { type ParserLists, type ParserListsSource, suggestParsers } from "../hub/parsers.ts";
import { idFromFolderName, isCommitHash, isInside, isModelId, repoDir } from "./cache_layout.ts";
import type { DiskUsageReader } from "./disk.ts";
import type { ModelUsage } from "./usage.ts";

/** How many models are described at once. */
const DESCRIBE_CONCURRENCY = 8;

/** The parts of a description that follow from a model's files, tags and the parser lists. */
interface Derived {
  characteristics: ModelCharacteristics | null;
  createProfileUrl: string;
}

/** What one listing reads once for all models. */
interface Listing {
  uses: Map<string, string>;
  tags: (id: string) => string[];
  /** The parser lists and their text, part of the derived parts' key. */
  lists: ParserLists;
  listsKey: string;
  usage: ModelUsage;
  download: (id: string) => DownloadBrief | null;
}

/** Dependencies of {@link LocalModels}. */
export interface LocalModelsOptions {
  db: Db;
  bus: EventBus;
  /** `HF_HUB_CACHE`. */
  cacheDir: string;
  usage: ModelUsage;
  diskUsage: DiskUsageReader;
  totalMemory: () => number;
  /** Share of memory models should fit in. @default DEFAULT_BUDGET_SHARE */
  budgetShare?: number;
  parserLists: ParserListsSource;
  /** The active download of a model, if any. */
  downloadFor?: (modelId: string) => DownloadBrief | null;
  /** Every active download by model id, read once for a whole listing (else `downloadFor` per model). */
  activeDownloads?: () => Map<string, DownloadBrief>;
}

/**
 * The local model cache.
 *
 * @example
 * ```ts
 * const local = new LocalModels({ db, bus, cacheDir, usage: NO_MODEL_USAGE, diskUsage: dfDiskUsage,
 *   totalMemory: os.totalmem, parserLists: () => FALLBACK_PARSER_LISTS });
 * for (const m of await local.list()) console.log(m.model_id, m.size_bytes);
 * ```
 */
export class LocalModels {
  readonly cacheDir: string;
  readonly #o: LocalModelsOptions;
  /** Each model's file facts, by snapshot key. */
  readonly #facts = new KeyedCache<Promise<SnapshotFacts>>();
  /** What follows from the facts, the tags and the parser lists, by all three. */
  readonly #derived = new KeyedCache<Derived>();

  constructor(options: LocalModelsOptions) {
    this.#o = options;
    this.cacheDir = options.cacheDir;
  }

  /** The snapshot folder of a model (`refs/main`, else the newest snapshot), or null. */
  async snapshotDir(modelId: string): Promise<{ dir: string; commit: string } | null> {
    if (!isModelId(modelId)) return null;
    const snapshots = join(repoDir(this.cacheDir, modelId), "snapshots");
    // The usual case is two small metadata reads, done synchronously: a listing asks this of every model.
    const ref = readTextSync(join(repoDir(this.cacheDir, modelId), "refs", "main"))?.trim();
    if (ref && isCommitHash(ref)) {
      const dir = join(snapshots, ref);
      if (isDirectorySync(dir)) return { dir, commit: ref };
    }
    let newest: { dir: string; commit: string; mtime: number } | null = null;
    try {
      for await (const entry of Deno.readDir(snapshots)) {
        if (!entry.isDirectory) continue;
        const dir = join(snapshots, entry.name);
        const mtime = (await Deno.stat(dir)).mtime?.getTime() ?? 0;
        if (!newest || mtime > newest.mtime) newest = { dir, commit: entry.name, mtime };
      }
    } catch {
      return null;
    }
    return newest && { dir: newest.dir, commit: newest.commit };
  }

  /** Records that a model was used now (the supervisor calls this when a server starts with it). */
  recordUse(modelId: string): void {
    if (isModelId(modelId)) recordModelUse(this.#o.db, modelId);
  }

  /** Whether a model has a snapshot in the cache. */
  async isDownloaded(modelId: string): Promise<boolean> {
    return (await this.snapshotDir(modelId)) !== null;
  }

  /** A local model's `config.json`, or null. */
  async readConfig(modelId: string): Promise<ModelConfig | null> {
    const snapshot = await this.snapshotDir(modelId);
    return snapshot ? await readConfigFile(join(snapshot.dir, "config.json")) : null;
  }

  /** Every model in the cache, sorted by id. */
  async list(): Promise<LocalModel[]> {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(this.cacheDir));
    } catch {
      entries = [];
    }
    const ids = entries.map((e) => e.isDirectory ? idFromFolderName(e.name) : null).filter((id) =>
      id !== null
    );
    const present = new Set(ids);
    this.#facts.retain(present);
    this.#derived.retain(present);
    if (ids.length === 0) return [];
    const all = modelTags(this.#o.db);
    const listing = await this.#listing((id) => all.get(id) ?? [], true);
    // Bounded: a model seen for the first time is a walk of its files and a read of its config.
    const models = await mapLimit(ids, DESCRIBE_CONCURRENCY, (id) => this.#describe(id, listing));
    return models.filter((m): m is LocalModel => m !== null).sort((a, b) =>
      a.model_id.localeCompare(b.model_id)
    );
  }

  /** One local model, or null when it is not in the cache. */
  async get(modelId: string): Promise<LocalModel | null> {
    if (!isModelId(modelId)) return null;
    return await this.#describe(
      modelId,
      await this.#listing((id) => findModelConfig(this.#o.db, id)?.tags ?? []),
    );
  }

  async #listing(tags: (id: string) => string[], many = false): Promise<Listing> {
    const lists = await this.#o.parserLists();
    const active = many ? this.#o.activeDownloads?.() : undefined;
    return {
      uses: lastUses(this.#o.db),
      tags,
      lists,
      listsKey: JSON.stringify(lists),
      usage: this.#o.usage.view?.() ?? this.#o.usage,
      download: active ? (id) => active.get(id) ?? null : (id) => this.#o.downloadFor?.(id) ?? null,
    };
  }

  async #describe(id: string, listing: Listing): Promise<LocalModel | null> {
    const snapshot = await this.snapshotDir(id);
    if (!snapshot) {
      this.#facts.delete(id);
      this.#derived.delete(id);
      return null;
    }
    const folder = repoDir(this.cacheDir, id);
    const key = snapshotKey(folder, snapshot);
    const facts = await this.#facts.get(id, key, () => readSnapshotFacts(folder, snapshot.dir));
    const { size, weights, config, lastAccess } = facts;
    const tags = listing.tags(id);
    const { characteristics, createProfileUrl: url } = this.#derived.get(
      id,
      `${key}|${JSON.stringify(tags)}|${listing.listsKey}`,
      () => {
        const characteristics = config ? extractCharacteristics(config, tags, id) : null;
        const parsers = suggestParsers(id, listing.lists, characteristics?.model_family ?? null);
        return { characteristics, createProfileUrl: createProfileUrl(id, characteristics, { ...parsers }) };
      },
    );
    const recordedUse = listing.uses.get(id) ?? null;
    const lastUsed = [recordedUse, lastAccess].filter((t): t is string => t !== null).sort().pop() ?? null;
    const download = listing.download(id);
    return {
      model_id: id,
      local_path: snapshot.dir,
      commit: snapshot.commit,
      size_bytes: size,
      size_gb: toGib(size),
      weights_bytes: weights,
      characteristics: characteristics && structuredClone(characteristics),
      fit: fitVerdict(weights || null, characteristics, this.#o.totalMemory(), this.#o.budgetShare),
      last_used_at: lastUsed,
      used_by: await listing.usage.profilesUsing(id, folder),
      running: await listing.usage.runningUsing(id, folder),
      complete: download === null && config !== null && weights > 0,
      download,
      create_profile_url: url,
    };
  }

  /** Disk figures for the cache folder; the disk part is null when `df` cannot tell. */
  async storage(): Promise<StorageInfo> {
    let cacheBytes = 0;
    try {
      for await (const entry of Deno.readDir(this.cacheDir)) {
        if (!entry.isDirectory || !entry.name.startsWith("models--")) continue;
        cacheBytes += walkFilesSync(join(this.cacheDir, entry.name, "blobs")).reduce(
          (n, f) => n + f.size,
          0,
        );
      }
    } catch { /* no cache yet */ }
    const disk = await this.#o.diskUsage(this.cacheDir).catch(() => null);
    return {
      cache_path: this.cacheDir,
      cache_bytes: cacheBytes,
      disk_total_bytes: disk?.total ?? null,
      disk_free_bytes: disk?.free ?? null,
      mount: disk?.mount ?? null,
    };
  }

  /**
   * Deletes a model's whole cache folder. Refuses (`AppError`) ids that are
   * not `org/name` and anything that resolves outside the cache (`bad_request`),
   * a model being downloaded and, unless `force`, a model a running server
   * uses (`conflict`).
   */
  async delete(modelId: string, options: { force?: boolean } = {}): Promise<void> {
    if (!isModelId(modelId)) {
      throw new AppError("bad_request", `Cannot delete "${modelId}": a model id looks like org/name`, {
        reason: "invalid_model_id",
      });
    }
    const folder = repoDir(this.cacheDir, modelId);
    const realCache = await Deno.realPath(this.cacheDir).catch(() => null);
    const realFolder = await Deno.realPath(folder).catch(() => null);
    if (!realCache || !realFolder) {
      throw new AppError("not_found", `Model ${modelId} is not in the local cache`);
    }
    if (!isInside(realCache, realFolder) || dirname(realFolder) !== realCache) {
      throw new AppError(
        "bad_request",
        `Cannot delete ${modelId}: its folder resolves outside the model cache`,
        {
          reason: "outside_cache",
        },
      );
    }
    const download = this.#o.downloadFor?.(modelId);
    if (download) {
      throw new AppError("conflict", `${modelId} is being downloaded: cancel the download first`, {
        reason: "downloading",
      });
    }
    const running = await this.#o.usage.runningUsing(modelId, folder);
    if (running.length > 0 && !options.force) {
      const names = running.map((r) => r.name).join(", ");
      throw new AppError(
        "conflict",
        `${modelId} is in use by running server ${names}: stop it first, or delete with force`,
        {
          reason: "in_use",
        },
      );
    }
    await Deno.remove(folder, { recursive: true });
    this.#facts.delete(modelId);
    this.#derived.delete(modelId);
    this.#o.bus.publish("models.changed", { id: modelId });
  }
}
