/**
 * Model search: the hub's results enriched with detected characteristics,
 * size, the "will it fit" verdict, whether each model is already local and
 * any download in progress.
 *
 * @module
 */
import { mapLimit } from "../../lib/pool.ts";
import type { DownloadBrief, SearchResult } from "../../lib/model_types.ts";
import type { CharacteristicsStore } from "./characteristics.ts";
import type { HubClient, HubModel, SearchSort } from "./client.ts";
import { estimateSizeFromName, fitVerdict, toGib, weightsFromSafetensors } from "./fit.ts";

/** What a search asks for. */
export interface SearchParams {
  /** Words in the model id; empty lists the author's models. */
  query?: string;
  /** Organisation or user; empty means any. */
  author?: string;
  sort: SearchSort;
  limit: number;
  /** Drop results known to be larger (GiB); unknown sizes pass. */
  maxSizeGb?: number;
}

/** Dependencies of {@link ModelSearch}. */
export interface ModelSearchOptions {
  hub: HubClient;
  characteristics: CharacteristicsStore;
  isDownloaded: (modelId: string) => Promise<boolean>;
  downloadFor: (modelId: string) => DownloadBrief | null;
  totalMemory: () => number;
  /** Share of memory models should fit in. @default DEFAULT_BUDGET_SHARE */
  budgetShare?: number;
}

/** Hub requests for configs run this many at a time. */
const CONFIG_CONCURRENCY = 8;

/**
 * Searches MLX models on the hub.
 *
 * @example
 * ```ts
 * const results = await search.search({ query: "qwen3", author: "mlx-community", sort: "downloads", limit: 20 });
 * ```
 */
export class ModelSearch {
  readonly #options: ModelSearchOptions;

  constructor(options: ModelSearchOptions) {
    this.#options = options;
  }

  /** Runs a search; throws an `AppError` (`upstream`, `unavailable`) when the hub cannot answer. */
  async search(params: SearchParams): Promise<SearchResult[]> {
    const filtered = params.maxSizeGb !== undefined && params.maxSizeGb > 0;
    const models = await this.#options.hub.search({
      query: params.query?.trim() || undefined,
      author: params.author?.trim() || undefined,
      // The manager serves MLX models only: the hub's library tag.
      tags: ["mlx"],
      sort: params.sort,
      limit: filtered ? Math.min(params.limit * 2, 100) : params.limit,
    });
    const sized = models.map((m) => ({ model: m, size: this.#size(m) }));
    const kept = sized.filter(({ size }) => !filtered || size === null || toGib(size) <= params.maxSizeGb!)
      .slice(0, params.limit);
    const totalMemory = this.#options.totalMemory();
    return await mapLimit(kept, CONFIG_CONCURRENCY, async ({ model, size }) => {
      const characteristics = await this.#options.characteristics.forSearchResult(model);
      return {
        model_id: model.id,
        author: model.author ?? model.id.split("/")[0] ?? "unknown",
        downloads: model.downloads,
        likes: model.likes,
        estimated_size_gb: toGib(size),
        size_bytes: size,
        tags: model.tags,
        is_downloaded: await this.#options.isDownloaded(model.id),
        last_modified: model.lastModified,
        gated: model.gated,
        characteristics,
        fit: fitVerdict(size, characteristics, totalMemory, this.#options.budgetShare),
        download: this.#options.downloadFor(model.id),
      };
    });
  }

  /** The weights size: from the hub's safetensors summary, else estimated from the name. */
  #size(model: HubModel): number | null {
    return weightsFromSafetensors(model.safetensors) ?? estimateSizeFromName(model.id);
  }
}
