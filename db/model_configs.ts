/**
 * The `model_configs` table (each model's `config.json` and hub tags, cached
 * per revision so detection runs without asking the hub again) and
 * `model_usage` (when a model was last used).
 *
 * @module
 */
import { type Db, now, statement } from "./mod.ts";
import { jsonOrNull, nullable, nullableJson } from "./rows.ts";

/** A cached `config.json` and the model's tags. */
export interface ModelConfigRow {
  modelId: string;
  /** The commit the config was read at, when known. */
  revision: string | null;
  /** The parsed config, or null when the repository has none. */
  config: Record<string, unknown> | null;
  tags: string[];
  fetchedAt: string;
}

/** The cached config of a model, if any. */
export function findModelConfig(db: Db, modelId: string): ModelConfigRow | null {
  const r = statement(db, "SELECT * FROM model_configs WHERE model_id = ?").get(modelId);
  if (!r) return null;
  return {
    modelId: String(r.model_id),
    revision: nullable(r.revision, String),
    config: nullableJson(r.config),
    tags: JSON.parse(String(r.tags)),
    fetchedAt: String(r.fetched_at),
  };
}

/**
 * Stores (or replaces) the cached config of a model.
 *
 * @example
 * ```ts
 * saveModelConfig(db, { modelId: "org/name", revision: sha, config, tags: ["mlx"] });
 * ```
 */
export function saveModelConfig(
  db: Db,
  row: { modelId: string; revision: string | null; config: Record<string, unknown> | null; tags: string[] },
): void {
  statement(
    db,
    `INSERT INTO model_configs (model_id, revision, config, tags, fetched_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (model_id) DO UPDATE SET revision = excluded.revision, config = excluded.config,
       tags = excluded.tags, fetched_at = excluded.fetched_at`,
  ).run(
    row.modelId,
    row.revision,
    jsonOrNull(row.config),
    JSON.stringify(row.tags),
    now(),
  );
}

/**
 * Records that a model was used now (a server started with it).
 *
 * @example
 * ```ts
 * recordModelUse(db, "mlx-community/Qwen3-8B-4bit"); // when a server starts with it
 * ```
 */
export function recordModelUse(db: Db, modelId: string, at: string = now()): void {
  statement(
    db,
    `INSERT INTO model_usage (model_id, last_used_at) VALUES (?, ?)
     ON CONFLICT (model_id) DO UPDATE SET last_used_at = max(last_used_at, excluded.last_used_at)`,
  ).run(modelId, at);
}

/** The hub tags of every model with a cached config, by model id (one query for a whole listing). */
export function modelTags(db: Db): Map<string, string[]> {
  return new Map(
    statement(db, "SELECT model_id, tags FROM model_configs").all().map((r) => [
      String(r.model_id),
      JSON.parse(String(r.tags)) as string[],
    ]),
  );
}

/** Every recorded last use, by model id. */
export function lastUses(db: Db): Map<string, string> {
  return new Map(
    statement(db, "SELECT model_id, last_used_at FROM model_usage").all().map((r) => [
      String(r.model_id),
      String(r.last_used_at),
    ]),
  );
}
