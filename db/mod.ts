/**
 * The SQLite database: opening, pragmas, migrations and transactions.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { dirname } from "node:path";
import { migrate } from "./migrate.ts";
import { MIGRATIONS } from "./migrations/mod.ts";
import type { Migration } from "./migrate.ts";

/** An open database. */
export type Db = DatabaseSync;

/** Options of {@link openDb}. */
export interface OpenDbOptions {
  /** The migrations to apply. @default MIGRATIONS */
  migrations?: readonly Migration[];
}

/**
 * Opens (creating if needed) the database at `path` and applies pending migrations.
 *
 * @example
 * ```ts
 * const db = openDb(":memory:");
 * db.prepare("SELECT 1 AS one").get(); // { one: 1 }
 * ```
 */
export function openDb(path: string, options: OpenDbOptions = {}): Db {
  if (path !== ":memory:") Deno.mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
  if (path !== ":memory:") {
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  }
  migrate(db, options.migrations ?? MIGRATIONS);
  return db;
}

const depth = new WeakMap<Db, number>();

/**
 * Runs `fn` in a transaction: committed when it returns, rolled back when it
 * throws. Nested calls join the outer transaction. `BEGIN IMMEDIATE` takes the
 * write lock up front, so read-then-write sequences cannot interleave.
 *
 * @example
 * ```ts
 * const id = transaction(db, () => {
 *   const count = db.prepare("SELECT count(*) AS n FROM users").get()!.n;
 *   return insertUser(db, { isAdmin: count === 0 });
 * });
 * ```
 */
export function transaction<T>(db: Db, fn: () => T): T {
  const level = depth.get(db) ?? 0;
  if (level > 0) {
    depth.set(db, level + 1);
    try {
      return fn();
    } finally {
      depth.set(db, level);
    }
  }
  db.exec("BEGIN IMMEDIATE");
  depth.set(db, 1);
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  } finally {
    depth.set(db, 0);
  }
}

/** The current time as stored in the database: ISO 8601 in UTC. */
export function now(): string {
  return new Date().toISOString();
}
