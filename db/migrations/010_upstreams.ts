import type { Migration } from "../migrate.ts";

/**
 * Remote upstreams: other MLX Managers, exo clusters and any OpenAI-compatible
 * server that `/v1` routes to. `api_key` holds a value sealed by
 * `services/secrets.ts`, never the key in clear. `models` is JSON: the string
 * `"discover"` or a list of model ids.
 *
 * Activity rows get the upstream's name: a request served by another machine
 * has no local profile, and renaming or deleting the upstream must not rewrite
 * the history.
 */
export const upstreams: Migration = {
  version: 10,
  name: "upstreams",
  sql: `
    CREATE TABLE upstreams (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      kind TEXT NOT NULL CHECK (kind IN ('mlx-manager', 'exo', 'openai')),
      base_url TEXT NOT NULL,
      api_key TEXT,
      models TEXT NOT NULL DEFAULT '"discover"',
      enabled INTEGER NOT NULL DEFAULT 1,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    ALTER TABLE activity ADD COLUMN upstream TEXT;
    CREATE INDEX activity_upstream ON activity(upstream, seq);
  `,
};
