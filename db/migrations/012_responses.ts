import type { Migration } from "../migrate.ts";

/**
 * Stored responses of `POST /v1/responses` (`store` true), so a later request
 * can continue from one with `previous_response_id` and its owner can read or
 * delete it. `input` and `output` are the JSON item lists of that one turn
 * (the turns before it are reached through `previous_id`); `response` is the
 * whole response object as answered. A response of an anonymous caller (a
 * gateway without keys) has no `user_id`. Rows past
 * `MLX_MANAGER_RESPONSES_DAYS` are pruned.
 */
export const responses: Migration = {
  version: 12,
  name: "responses",
  sql: `
    CREATE TABLE responses (
      id TEXT PRIMARY KEY,
      user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
      previous_id TEXT,
      input TEXT NOT NULL,
      output TEXT NOT NULL,
      response TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX responses_created ON responses(created_at);
  `,
};
