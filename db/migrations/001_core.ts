import type { Migration } from "../migrate.ts";

/** Key/value settings kept by the app. */
export const core: Migration = {
  version: 1,
  name: "core",
  sql: `
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
  `,
};
