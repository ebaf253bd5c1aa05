import type { Migration } from "../migrate.ts";

/**
 * Server profiles, and the model-server processes the supervisor started (so
 * that after a manager crash, live servers are adopted and the rest cleaned up).
 */
export const profiles: Migration = {
  version: 3,
  name: "profiles",
  sql: `
    CREATE TABLE profiles (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL COLLATE NOCASE UNIQUE,
      description TEXT,
      model_path TEXT NOT NULL,
      model_type TEXT NOT NULL DEFAULT 'lm',
      port INTEGER NOT NULL UNIQUE CHECK (port BETWEEN 1024 AND 65535),
      host TEXT NOT NULL DEFAULT '127.0.0.1',
      context_length INTEGER,
      max_concurrency INTEGER NOT NULL DEFAULT 1,
      queue_timeout INTEGER NOT NULL DEFAULT 300,
      queue_size INTEGER NOT NULL DEFAULT 100,
      tool_call_parser TEXT,
      reasoning_parser TEXT,
      message_converter TEXT,
      enable_auto_tool_choice INTEGER NOT NULL DEFAULT 0 CHECK (enable_auto_tool_choice IN (0, 1)),
      trust_remote_code INTEGER NOT NULL DEFAULT 0 CHECK (trust_remote_code IN (0, 1)),
      chat_template_file TEXT,
      log_level TEXT NOT NULL DEFAULT 'INFO',
      auto_start INTEGER NOT NULL DEFAULT 0 CHECK (auto_start IN (0, 1)),
      restart_on_crash INTEGER NOT NULL DEFAULT 0 CHECK (restart_on_crash IN (0, 1)),
      system_prompt TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    CREATE TABLE server_instances (
      profile_id INTEGER PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
      pid INTEGER NOT NULL,
      host TEXT NOT NULL,
      port INTEGER NOT NULL,
      command TEXT NOT NULL,
      log_path TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('starting', 'running', 'stopping')),
      started_at TEXT NOT NULL,
      ready_at TEXT
    );
  `,
};
