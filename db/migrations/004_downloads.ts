import type { Migration } from "../migrate.ts";

/**
 * Download jobs (at most one active job per repository), their files, the
 * detected characteristics cache and when each local model was last used.
 */
export const downloads: Migration = {
  version: 4,
  name: "downloads",
  sql: `
    CREATE TABLE downloads (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      task_id TEXT NOT NULL UNIQUE,
      model_id TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'downloading', 'paused', 'completed', 'failed', 'cancelled')),
      commit_sha TEXT,
      total_bytes INTEGER,
      downloaded_bytes INTEGER NOT NULL DEFAULT 0,
      files_total INTEGER NOT NULL DEFAULT 0,
      files_done INTEGER NOT NULL DEFAULT 0,
      repo_existed INTEGER NOT NULL DEFAULT 1 CHECK (repo_existed IN (0, 1)),
      error TEXT,
      error_code TEXT,
      requested_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      completed_at TEXT
    );
    CREATE INDEX downloads_model ON downloads(model_id);
    CREATE UNIQUE INDEX downloads_one_active ON downloads(model_id)
      WHERE status IN ('pending', 'downloading', 'paused');

    CREATE TABLE download_files (
      download_id INTEGER NOT NULL REFERENCES downloads(id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      blob_id TEXT NOT NULL,
      size INTEGER NOT NULL,
      sha256 TEXT,
      git_oid TEXT,
      done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
      fetched INTEGER NOT NULL DEFAULT 0 CHECK (fetched IN (0, 1)),
      PRIMARY KEY (download_id, path)
    );

    CREATE TABLE model_configs (
      model_id TEXT PRIMARY KEY,
      revision TEXT,
      config TEXT,
      tags TEXT NOT NULL DEFAULT '[]',
      fetched_at TEXT NOT NULL
    );

    CREATE TABLE model_usage (
      model_id TEXT PRIMARY KEY,
      last_used_at TEXT NOT NULL
    );
  `,
};
