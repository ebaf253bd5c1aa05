/**
 * Characteristics of a model, from the local `config.json` when the model is
 * downloaded, else from the copy cached in SQLite, else from the hub (then
 * cached per model and revision). Offline, only local and cached configs count.
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import { findModelConfig, saveModelConfig } from "../../db/model_configs.ts";
import type { ModelCharacteristics } from "../../lib/model_types.ts";
import type { HubClient, HubModel } from "./client.ts";
import { extractCharacteristics, type ModelConfig } from "./detection.ts";
import { guessCharacteristics } from "./guess.ts";

/** How long one search result's `config.json` may take before the name-based guess is used. */
const CONFIG_TIMEOUT_MS = 10_000;

/** Reads a local model's `config.json`. */
export type LocalConfigReader = (modelId: string) => Promise<ModelConfig | null>;

/**
 * Looks up and caches model characteristics.
 *
 * @example
 * ```ts
 * const store = new CharacteristicsStore(db, hub, (id) => local.readConfig(id));
 * const c = await store.forModel("mlx-community/Qwen3-8B-4bit");
 * ```
 */
export class CharacteristicsStore {
  readonly #db: Db;
  readonly #hub: HubClient;
  readonly #readLocal: LocalConfigReader;

  constructor(db: Db, hub: HubClient, readLocal: LocalConfigReader) {
    this.#db = db;
    this.#hub = hub;
    this.#readLocal = readLocal;
  }

  /** The config of a model without contacting the hub: local, else cached. */
  async configOffline(modelId: string): Promise<{ config: ModelConfig | null; tags: string[] }> {
    const cached = findModelConfig(this.#db, modelId);
    const local = await this.#readLocal(modelId).catch(() => null);
    return { config: local ?? cached?.config ?? null, tags: cached?.tags ?? [] };
  }

  /**
   * The characteristics of any model: local or cached config first, then the
   * hub's `config.json` at `main` (unless offline). Null when nothing is known.
   */
  async forModel(modelId: string, tags: string[] = []): Promise<ModelCharacteristics | null> {
    const known = await this.configOffline(modelId);
    const allTags = tags.length ? tags : known.tags;
    if (known.config) return extractCharacteristics(known.config, allTags, modelId);
    if (this.#hub.offline) return null;
    const config = await this.#hub.config(modelId, "main").catch(() => null);
    if (!config) return null;
    saveModelConfig(this.#db, { modelId, revision: null, config, tags: allTags });
    return extractCharacteristics(config, allTags, modelId);
  }

  /**
   * The characteristics of a search result: the cached config when it was read
   * at the same commit, else the hub's `config.json` at that commit (cached),
   * else a guess from the name, tags and the hub's partial config.
   */
  async forSearchResult(model: HubModel): Promise<ModelCharacteristics> {
    const cached = findModelConfig(this.#db, model.id);
    if (cached?.config && (cached.revision === model.sha || model.sha === null)) {
      if (JSON.stringify(cached.tags) !== JSON.stringify(model.tags)) {
        saveModelConfig(this.#db, { ...cached, tags: model.tags });
      }
      return extractCharacteristics(cached.config, model.tags, model.id);
    }
    const config = await this.#hub.config(
      model.id,
      model.sha ?? "main",
      AbortSignal.timeout(CONFIG_TIMEOUT_MS),
    )
      .catch(() => null);
    if (config) {
      saveModelConfig(this.#db, { modelId: model.id, revision: model.sha, config, tags: model.tags });
      return extractCharacteristics(config, model.tags, model.id);
    }
    return guessCharacteristics(model.id, model.tags, model.config);
  }
}
