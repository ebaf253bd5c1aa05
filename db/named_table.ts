/**
 * A table of named entries (upstreams, MCP servers): an id, a name unique
 * without regard to case (`UNIQUE COLLATE NOCASE`), the entry's own columns
 * and `created_at`/`updated_at`. Each registry's repository is one of these
 * with its columns.
 *
 * @module
 */
import { type Db, statement } from "./mod.ts";
import type { SqlValue } from "./rows.ts";

/** How one table's rows are read and written. */
export interface NamedTableSpec<Row, Fields> {
  /** The table's name. */
  table: string;
  /** The written columns, `name` first, in the order {@link values} gives them. */
  columns: readonly string[];
  /** The `ORDER BY` of {@link NamedTable.list}. */
  order: string;
  /** A row as SQLite gives it, typed. */
  toRow(row: Record<string, unknown>): Row;
  /** The values of {@link columns}. */
  values(fields: Fields): readonly SqlValue[];
}

/**
 * Reads and writes the rows of a table of named entries.
 *
 * @example
 * ```ts
 * class UpstreamsRepo extends NamedTable<UpstreamRow, UpstreamFields> {
 *   constructor(db: Db) {
 *     super(db, { table: "upstreams", columns: ["name", "kind", …], order: "id", toRow, values });
 *   }
 * }
 * ```
 */
export class NamedTable<Row, Fields> {
  readonly #db: Db;
  readonly #spec: NamedTableSpec<Row, Fields>;
  readonly #sql: {
    list: string;
    get: string;
    byName: string;
    insert: string;
    update: string;
    delete: string;
  };

  constructor(db: Db, spec: NamedTableSpec<Row, Fields>) {
    this.#db = db;
    this.#spec = spec;
    const { table, columns, order } = spec;
    this.#sql = {
      list: `SELECT * FROM ${table} ORDER BY ${order}`,
      get: `SELECT * FROM ${table} WHERE id = ?`,
      byName: `SELECT * FROM ${table} WHERE name = ?`,
      insert: `INSERT INTO ${table} (${columns.join(", ")}, created_at, updated_at)
        VALUES (${columns.map(() => "?").join(", ")}, ?, ?)`,
      update: `UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(", ")}, updated_at = ? WHERE id = ?`,
      delete: `DELETE FROM ${table} WHERE id = ?`,
    };
  }

  /** Every row, in the table's order. */
  list(): Row[] {
    return statement(this.#db, this.#sql.list).all().map((r) => this.#spec.toRow(r));
  }

  /** One row, or null. */
  get(id: number): Row | null {
    const row = statement(this.#db, this.#sql.get).get(id);
    return row ? this.#spec.toRow(row) : null;
  }

  /** The row with this name (case-insensitive), or null. */
  byName(name: string): Row | null {
    const row = statement(this.#db, this.#sql.byName).get(name);
    return row ? this.#spec.toRow(row) : null;
  }

  /** Inserts a row; the name must be free (see {@link nameTaken}). */
  insert(fields: Fields): Row {
    const now = new Date().toISOString();
    const { lastInsertRowid } = statement(this.#db, this.#sql.insert).run(
      ...this.#spec.values(fields),
      now,
      now,
    );
    return this.get(Number(lastInsertRowid))!;
  }

  /** Replaces a row's fields; null when there is no such row. */
  update(id: number, fields: Fields): Row | null {
    statement(this.#db, this.#sql.update).run(...this.#spec.values(fields), new Date().toISOString(), id);
    return this.get(id);
  }

  /** Deletes a row; false when there was none. */
  delete(id: number): boolean {
    return Number(statement(this.#db, this.#sql.delete).run(id).changes) > 0;
  }

  /** Whether `error` is this table refusing a write because another row holds the name. */
  nameTaken(error: unknown): boolean {
    return String(error).includes(`UNIQUE constraint failed: ${this.#spec.table}.name`);
  }
}
