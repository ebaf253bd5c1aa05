/**
 * The `upstreams` table. The API key is stored sealed (see
 * `services/secrets.ts`); this module never sees it in clear.
 *
 * @module
 */
import { type Db, statement } from "./mod.ts";
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
 * Reads and writes upstream rows.
 *
 * @example
 * ```ts
 * const repo = new UpstreamsRepo(db);
 * const row = repo.insert({ name: "studio", kind: "mlx-manager", base_url: "http://studio.local:8080/v1",
 *   api_key: null, models: "discover", enabled: true });
 * repo.byName("STUDIO")?.id === row.id; // true
 * ```
 */
export class UpstreamsRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Every upstream, oldest first (the failover order). */
  list(): UpstreamRow[] {
    return statement(this.#db, "SELECT * FROM upstreams ORDER BY id").all().map(toRow);
  }

  /** One upstream, or null. */
  get(id: number): UpstreamRow | null {
    const row = statement(this.#db, "SELECT * FROM upstreams WHERE id = ?").get(id);
    return row ? toRow(row) : null;
  }

  /** The upstream with this name (case-insensitive), or null. */
  byName(name: string): UpstreamRow | null {
    const row = statement(this.#db, "SELECT * FROM upstreams WHERE name = ?").get(name);
    return row ? toRow(row) : null;
  }

  /** Inserts an upstream; the name must be free. */
  insert(fields: UpstreamFields): UpstreamRow {
    const now = new Date().toISOString();
    const { lastInsertRowid } = statement(
      this.#db,
      `INSERT INTO upstreams (name, kind, base_url, api_key, models, enabled, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(...values(fields), now, now);
    return this.get(Number(lastInsertRowid))!;
  }

  /** Replaces an upstream's fields. */
  update(id: number, fields: UpstreamFields): UpstreamRow | null {
    statement(
      this.#db,
      `UPDATE upstreams SET name = ?, kind = ?, base_url = ?, api_key = ?, models = ?, enabled = ?, updated_at = ?
        WHERE id = ?`,
    ).run(...values(fields), new Date().toISOString(), id);
    return this.get(id);
  }

  /** Deletes an upstream; false when there was none. */
  delete(id: number): boolean {
    return Number(statement(this.#db, "DELETE FROM upstreams WHERE id = ?").run(id).changes) > 0;
  }
}
