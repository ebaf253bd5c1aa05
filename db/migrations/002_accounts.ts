import type { Migration } from "../migrate.ts";

/** User accounts with approval and a token version for revoking sessions. */
export const accounts: Migration = {
  version: 2,
  name: "accounts",
  sql: `
    CREATE TABLE users (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      email TEXT NOT NULL,
      email_key TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'disabled')),
      token_version INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      approved_at TEXT,
      approved_by INTEGER REFERENCES users(id) ON DELETE SET NULL
    );
    CREATE INDEX users_status ON users(status);
  `,
};
