/**
 * The models area, assembled: the hub client, search, detection cache, local
 * cache and the seams other areas fill in (parser lists, model usage).
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import type { EventBus } from "../events.ts";
import type { HubClient } from "../hub/client.ts";
import { CharacteristicsStore } from "../hub/characteristics.ts";
import type { ParserListsSource } from "../hub/parsers.ts";
import { ModelSearch } from "../hub/search.ts";
import type { DownloadManager } from "../downloads/manager.ts";
import type { DiskUsageReader } from "./disk.ts";
import { LocalModels } from "./local.ts";
import type { ModelUsage } from "./usage.ts";

/** Everything the models routes use. */
export interface Models {
  hub: HubClient;
  search: ModelSearch;
  local: LocalModels;
  characteristics: CharacteristicsStore;
  /** The installed server's parser lists (the fallback lists until the supervisor knows them). */
  parserLists: ParserListsSource;
  /** Physical memory of this machine, in bytes. */
  totalMemory: () => number;
}

/** Dependencies of {@link createModels}. */
export interface CreateModelsOptions {
  db: Db;
  bus: EventBus;
  hub: HubClient;
  downloads: DownloadManager;
  cacheDir: string;
  usage: ModelUsage;
  parserLists: ParserListsSource;
  totalMemory: () => number;
  /** Share of memory models should fit in (`MLX_MANAGER_MAX_MEMORY_PERCENT` / 100). @default DEFAULT_BUDGET_SHARE */
  budgetShare?: number;
  diskUsage: DiskUsageReader;
}

/**
 * Builds the models services.
 *
 * @example
 * ```ts
 * const models = createModels({ db, bus, hub, downloads, cacheDir: config.hfHubCache, usage: NO_MODEL_USAGE,
 *   parserLists: () => FALLBACK_PARSER_LISTS, totalMemory: os.totalmem, diskUsage: dfDiskUsage });
 * ```
 */
export function createModels(o: CreateModelsOptions): Models {
  const downloadFor = (id: string) => o.downloads.briefFor(id);
  const local = new LocalModels({
    db: o.db,
    bus: o.bus,
    cacheDir: o.cacheDir,
    usage: o.usage,
    diskUsage: o.diskUsage,
    totalMemory: o.totalMemory,
    budgetShare: o.budgetShare,
    parserLists: o.parserLists,
    downloadFor,
    activeDownloads: () =>
      new Map(
        o.downloads.list({ active: true }).map((v) => [v.model_id, {
          task_id: v.task_id,
          status: v.status,
          progress: v.progress,
        }]),
      ),
  });
  const characteristics = new CharacteristicsStore(o.db, o.hub, (id) => local.readConfig(id));
  const search = new ModelSearch({
    hub: o.hub,
    characteristics,
    isDownloaded: (id) => local.isDownloaded(id),
    downloadFor,
    totalMemory: o.totalMemory,
    budgetShare: o.budgetShare,
  });
  return {
    hub: o.hub,
    search,
    local,
    characteristics,
    parserLists: o.parserLists,
    totalMemory: o.totalMemory,
  };
}
