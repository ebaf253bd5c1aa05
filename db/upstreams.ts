/**
 * The `upstreams` table. The API key is stored sealed (see
 * `services/secrets.ts`); this module never sees it in clear.
 *
 * @module
 */
import type { Db } from "./mod.ts";
import { NamedTable } from "./named_table.ts";
import { nullable } from "./rows.ts";
import type { UpstreamKind } from "../lib/upstream_types.ts";

/** A stored upstream. */
export interface UpstreamRow {
  id: number;
  name: string;
  kind: UpstreamKind;
  base_url: string;
  /** The sealed key, or null when the upstream takes none. */
  api_key: string | null;
  models: "discover" | string[];
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

/** The fields of a row that are written. */
export type UpstreamFields = Omit<UpstreamRow, "id" | "created_at" | "updated_at">;

function toRow(r: Record<string, unknown>): UpstreamRow {
  return {
    id: Number(r.id),
    name: String(r.name),
    kind: String(r.kind) as UpstreamKind,
    base_url: String(r.base_url),
    api_key: nullable(r.api_key, String),
    models: JSON.parse(String(r.models)),
    enabled: Number(r.enabled) === 1,
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

function values(f: UpstreamFields) {
  return [f.name, f.kind, f.base_url, f.api_key, JSON.stringify(f.models), f.enabled ? 1 : 0] as const;
}

/**
 * Reads and writes upstream rows, oldest first (the failover order).
 *
 * @example
 * ```ts
 * const repo = new UpstreamsRepo(db);
 * const row = repo.insert({ name: "studio", kind: "mlx-manager", base_url: "http://studio.local:8080/v1",
 *   api_key: null, models: "discover", enabled: true });
 * repo.byName("STUDIO")?.id === row.id; // true
 * ```
 */
export class UpstreamsRepo extends NamedTable<UpstreamRow, UpstreamFields> {
  constructor(db: Db) {
    super(db, {
      table: "upstreams",
      columns: ["name", "kind", "base_url", "api_key", "models", "enabled"],
      order: "id",
      toRow,
      values,
    });
  }
}
