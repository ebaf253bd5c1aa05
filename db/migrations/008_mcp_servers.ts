import type { Migration } from "../migrate.ts";

/**
 * Registered MCP servers. `env` and `headers` are JSON objects from names to
 * values sealed by `services/secrets.ts`: the database never holds a secret in
 * clear. `auto_approve` is JSON: `false`, `true` or a list of tool names.
 */
export const mcpServers: Migration = {
  version: 8,
  name: "mcp_servers",
  sql: `
    CREATE TABLE mcp_servers (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      transport TEXT NOT NULL CHECK (transport IN ('stdio', 'http')),
      command TEXT,
      args TEXT NOT NULL DEFAULT '[]',
      cwd TEXT,
      url TEXT,
      env TEXT NOT NULL DEFAULT '{}',
      headers TEXT NOT NULL DEFAULT '{}',
      enabled INTEGER NOT NULL DEFAULT 1,
      auto_approve TEXT NOT NULL DEFAULT 'false',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
  `,
};
