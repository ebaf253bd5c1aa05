/**
 * Versioned migrations, recorded in `schema_migrations` and each applied in its
 * own transaction.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
// A cycle with mod.ts (which runs migrate() in openDb()); neither uses the other at import.
import { transaction } from "./mod.ts";

/** One schema change. Versions are unique and applied in increasing order. */
export interface Migration {
  version: number;
  name: string;
  /** SQL statements, run with `exec`. */
  sql: string;
}

/**
 * Applies every migration whose version is not yet recorded. Safe to run on
 * every start; a failing migration is rolled back and stops the start.
 *
 * @returns the versions applied now
 */
export function migrate(
  db: DatabaseSync,
  migrations: readonly Migration[],
): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const seen = new Set<number>();
  for (const m of migrations) {
    if (seen.has(m.version)) {
      throw new Error(`Cannot migrate: version ${m.version} is defined twice`);
    }
    seen.add(m.version);
  }
  const applied = new Set(
    db.prepare("SELECT version FROM schema_migrations").all().map((row) => Number(row.version)),
  );
  const done: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    try {
      transaction(db, () => {
        db.exec(m.sql);
        db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
          .run(m.version, m.name, new Date().toISOString());
      });
    } catch (error) {
      throw new Error(`Cannot apply migration ${m.version} (${m.name}): ${(error as Error).message}`, {
        cause: error,
      });
    }
    done.push(m.version);
  }
  return done;
}
