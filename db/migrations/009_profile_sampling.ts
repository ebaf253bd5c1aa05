import type { Migration } from "../migrate.ts";

/**
 * A profile's default sampling, used when a chat request sets none:
 * `temperature`, `top_p` and `max_tokens` (null = the server's own default).
 * The default system prompt is the existing `system_prompt` column.
 */
export const profileSampling: Migration = {
  version: 9,
  name: "profile_sampling",
  sql: `
    ALTER TABLE profiles ADD COLUMN temperature REAL CHECK (temperature IS NULL OR temperature BETWEEN 0 AND 2);
    ALTER TABLE profiles ADD COLUMN top_p REAL CHECK (top_p IS NULL OR (top_p > 0 AND top_p <= 1));
    ALTER TABLE profiles ADD COLUMN max_tokens INTEGER CHECK (max_tokens IS NULL OR max_tokens >= 1);
  `,
};
