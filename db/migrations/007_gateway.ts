import type { Migration } from "../migrate.ts";

/**
 * API keys for `/v1` (only a keyed hash of the secret is kept) and one
 * activity row per `/v1` request.
 *
 * Activity rows keep `user_id`, `key_id` and `profile_id` as plain numbers:
 * deleting a user, key or profile must not rewrite the history of requests.
 */
export const gateway: Migration = {
  version: 7,
  name: "gateway",
  sql: `
    CREATE TABLE api_keys (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      lookup TEXT NOT NULL UNIQUE,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      secret_hash TEXT NOT NULL,
      prefix TEXT NOT NULL,
      models TEXT,
      created_at TEXT NOT NULL,
      expires_at TEXT,
      last_used_at TEXT,
      revoked_at TEXT
    );
    CREATE INDEX api_keys_user ON api_keys(user_id);

    CREATE TABLE activity (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      user_id INTEGER,
      key_id INTEGER,
      endpoint TEXT NOT NULL,
      model TEXT,
      profile_id INTEGER,
      stream INTEGER NOT NULL DEFAULT 0,
      status INTEGER NOT NULL,
      outcome TEXT NOT NULL,
      prompt_tokens INTEGER,
      completion_tokens INTEGER,
      tokens_estimated INTEGER NOT NULL DEFAULT 0,
      ttft_ms REAL,
      tokens_per_second REAL,
      duration_ms REAL NOT NULL,
      queue_ms REAL,
      cold_start INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX activity_created ON activity(created_at);
    CREATE INDEX activity_user ON activity(user_id, seq);
    CREATE INDEX activity_profile ON activity(profile_id, seq);
  `,
};
