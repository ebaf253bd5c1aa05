/**
 * The SQLite database: opening, pragmas, migrations and transactions.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { dirname } from "node:path";
import { migrate } from "./migrate.ts";
import { MIGRATIONS } from "./migrations/mod.ts";
import type { Migration } from "./migrate.ts";
import { AppError } from "../lib/errors.ts";

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

/** Prepared statements kept per database: enough for every query the app makes, dynamic ones too. */
const STATEMENTS_KEPT = 256;
const statements = new WeakMap<Db, Map<string, StatementSync>>();

/**
 * The prepared statement for `sql`, prepared once per database and kept: preparing
 * costs more than running most of the app's queries. The least recently used one is
 * dropped past {@link STATEMENTS_KEPT}, so queries built from their filters stay bounded.
 *
 * @example
 * ```ts
 * const row = statement(db, "SELECT * FROM profiles WHERE id = ?").get(3);
 * ```
 */
export function statement(db: Db, sql: string): StatementSync {
  let kept = statements.get(db);
  if (!kept) statements.set(db, kept = new Map());
  let prepared = kept.get(sql);
  if (prepared) {
    kept.delete(sql);
  } else {
    prepared = db.prepare(sql);
    if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
  }
  kept.set(sql, prepared);
  return prepared;
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
    // SQLite rolls back by itself after some failures (a full disk, out of memory); a ROLLBACK
    // then fails with "no transaction is active" and would hide the real error.
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  } finally {
    depth.set(db, 0);
  }
}

/** Whether `error` says the disk is full: SQLite's SQLITE_FULL or the system's ENOSPC. */
export function isDiskFull(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code === "ENOSPC") return true;
  return code === "ERR_SQLITE_ERROR" && /database or disk is full/i.test(error.message) ||
    /No space left on device|os error 28\b/.test(error.message);
}

/**
 * The {@link AppError} (`disk_full`) for a full-disk failure, naming the folder to free
 * space in, or null for any other error.
 *
 * @example
 * ```ts
 * diskFullError(new Error("No space left on device (os error 28)"), "/data")?.message;
 * // "the data disk is full: free space in /data"
 * ```
 */
export function diskFullError(error: unknown, dir: string): AppError | null {
  if (!isDiskFull(error)) return null;
  return new AppError("disk_full", `the data disk is full: free space in ${dir}`, { cause: error });
}

/** The current time as stored in the database: ISO 8601 in UTC. */
export function now(): string {
  return new Date().toISOString();
}
