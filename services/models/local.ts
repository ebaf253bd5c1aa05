/**
 * The models in the local Hugging Face cache: listing with sizes (each blob
 * counted once), characteristics, usage and last use; disk figures; and a
 * delete that never leaves the cache folder.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { Db } from "../../db/mod.ts";
import { findModelConfig, lastUses, recordModelUse } from "../../db/model_configs.ts";
import { HttpError } from "../../lib/errors.ts";
import type { DownloadBrief, LocalModel, StorageInfo } from "../../lib/model_types.ts";
import type { EventBus } from "../events.ts";
import { extractCharacteristics, type ModelConfig } from "../hub/detection.ts";
import { readConfigFile, readText, walkFiles } from "./scan.ts";
import { createProfileUrl } from "./profile_link.ts";
import { fitVerdict, toGib } from "../hub/fit.ts";
import { type ParserListsSource, suggestParsers } from "../hub/parsers.ts";
import { idFromFolderName, isCommitHash, isInside, isModelId, repoDir } from "./cache_layout.ts";
import type { DiskUsageReader } from "./disk.ts";
import type { ModelUsage } from "./usage.ts";

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

  constructor(options: LocalModelsOptions) {
    this.#o = options;
    this.cacheDir = options.cacheDir;
  }

  /** The snapshot folder of a model (`refs/main`, else the newest snapshot), or null. */
  async snapshotDir(modelId: string): Promise<{ dir: string; commit: string } | null> {
    if (!isModelId(modelId)) return null;
    const snapshots = join(repoDir(this.cacheDir, modelId), "snapshots");
    const ref = (await readText(join(repoDir(this.cacheDir, modelId), "refs", "main")))?.trim();
    if (ref && isCommitHash(ref)) {
      const dir = join(snapshots, ref);
      if ((await Deno.stat(dir).catch(() => null))?.isDirectory) return { dir, commit: ref };
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
      return [];
    }
    const uses = lastUses(this.#o.db);
    const models: LocalModel[] = [];
    for (const entry of entries) {
      const id = entry.isDirectory ? idFromFolderName(entry.name) : null;
      if (!id) continue;
      const model = await this.#describe(id, uses.get(id) ?? null);
      if (model) models.push(model);
    }
    return models.sort((a, b) => a.model_id.localeCompare(b.model_id));
  }

  /** One local model, or null when it is not in the cache. */
  async get(modelId: string): Promise<LocalModel | null> {
    if (!isModelId(modelId)) return null;
    return await this.#describe(modelId, lastUses(this.#o.db).get(modelId) ?? null);
  }

  async #describe(id: string, recordedUse: string | null): Promise<LocalModel | null> {
    const snapshot = await this.snapshotDir(id);
    if (!snapshot) return null;
    const folder = repoDir(this.cacheDir, id);
    const blobs = await walkFiles(join(folder, "blobs"));
    const files = await walkFiles(snapshot.dir);
    const weights = files.filter((f) => /\.(safetensors|npz|gguf)$/.test(f.path)).reduce(
      (n, f) => n + f.size,
      0,
    );
    const size = blobs.reduce((n, f) => n + f.size, 0);
    const config = await readConfigFile(join(snapshot.dir, "config.json"));
    const tags = findModelConfig(this.#o.db, id)?.tags ?? [];
    const characteristics = config ? extractCharacteristics(config, tags, id) : null;
    const atimes = blobs.map((b) => b.atime?.getTime() ?? 0).filter((t) => t > 0);
    const lastAccess = atimes.length ? new Date(Math.max(...atimes)).toISOString() : null;
    const lastUsed = [recordedUse, lastAccess].filter((t): t is string => t !== null).sort().pop() ?? null;
    const download = this.#o.downloadFor?.(id) ?? null;
    const lists = await this.#o.parserLists();
    const parsers = suggestParsers(id, lists, characteristics?.model_family ?? null);
    return {
      model_id: id,
      local_path: snapshot.dir,
      commit: snapshot.commit,
      size_bytes: size,
      size_gb: toGib(size),
      weights_bytes: weights,
      characteristics,
      fit: fitVerdict(weights || null, characteristics, this.#o.totalMemory(), this.#o.budgetShare),
      last_used_at: lastUsed,
      used_by: await this.#o.usage.profilesUsing(id, folder),
      running: await this.#o.usage.runningUsing(id, folder),
      complete: download === null && config !== null && weights > 0,
      download,
      create_profile_url: createProfileUrl(id, characteristics, { ...parsers }),
    };
  }

  /** Disk figures for the cache folder; the disk part is null when `df` cannot tell. */
  async storage(): Promise<StorageInfo> {
    let cacheBytes = 0;
    try {
      for await (const entry of Deno.readDir(this.cacheDir)) {
        if (!entry.isDirectory || !entry.name.startsWith("models--")) continue;
        cacheBytes += (await walkFiles(join(this.cacheDir, entry.name, "blobs"))).reduce(
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
   * Deletes a model's whole cache folder. Refuses ids that are not `org/name`
   * (400), anything that resolves outside the cache (400), a model being
   * downloaded (409) and, unless `force`, a model a running server uses (409).
   */
  async delete(modelId: string, options: { force?: boolean } = {}): Promise<void> {
    if (!isModelId(modelId)) {
      throw new HttpError(400, `Cannot delete "${modelId}": a model id looks like org/name`, {
        code: "invalid_model_id",
      });
    }
    const folder = repoDir(this.cacheDir, modelId);
    const realCache = await Deno.realPath(this.cacheDir).catch(() => null);
    const realFolder = await Deno.realPath(folder).catch(() => null);
    if (!realCache || !realFolder) throw new HttpError(404, `Model ${modelId} is not in the local cache`);
    if (!isInside(realCache, realFolder) || dirname(realFolder) !== realCache) {
      throw new HttpError(400, `Cannot delete ${modelId}: its folder resolves outside the model cache`, {
        code: "outside_cache",
      });
    }
    const download = this.#o.downloadFor?.(modelId);
    if (download) {
      throw new HttpError(409, `${modelId} is being downloaded: cancel the download first`, {
        code: "downloading",
      });
    }
    const running = await this.#o.usage.runningUsing(modelId, folder);
    if (running.length > 0 && !options.force) {
      const names = running.map((r) => r.name).join(", ");
      throw new HttpError(
        409,
        `${modelId} is in use by running server ${names}: stop it first, or delete with force`,
        {
          code: "in_use",
        },
      );
    }
    await Deno.remove(folder, { recursive: true });
    this.#o.bus.publish("models.changed", { id: modelId });
  }
}
