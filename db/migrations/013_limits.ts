import type { Migration } from "../migrate.ts";

/**
 * Limits on keys and users (NULL = no limit), and daily usage roll-ups.
 *
 * `usage_daily` keeps one row per day (in the manager's time zone), user, key
 * and model, added to as each activity row is written; activity retention
 * never deletes it, so token budgets and the usage view outlive the rows.
 * `0` and `''` stand for "none" (a session without a key, an anonymous caller,
 * a request without a model), so the primary key has no NULLs to miss. The
 * existing rows are rolled up by SQLite's local time, which is the manager's
 * time zone unless `TZ` says otherwise.
 */
export const limits: Migration = {
  version: 13,
  name: "limits",
  sql: `
    ALTER TABLE api_keys ADD COLUMN rpm INTEGER;
    ALTER TABLE api_keys ADD COLUMN tpm INTEGER;
    ALTER TABLE api_keys ADD COLUMN max_parallel INTEGER;
    ALTER TABLE api_keys ADD COLUMN budget_tokens INTEGER;
    ALTER TABLE api_keys ADD COLUMN budget_period TEXT CHECK (budget_period IN ('day', 'week', 'month'));
    ALTER TABLE users ADD COLUMN rpm INTEGER;
    ALTER TABLE users ADD COLUMN tpm INTEGER;
    ALTER TABLE users ADD COLUMN max_parallel INTEGER;
    ALTER TABLE users ADD COLUMN budget_tokens INTEGER;
    ALTER TABLE users ADD COLUMN budget_period TEXT CHECK (budget_period IN ('day', 'week', 'month'));

    CREATE TABLE usage_daily (
      day TEXT NOT NULL,
      user_id INTEGER NOT NULL DEFAULT 0,
      key_id INTEGER NOT NULL DEFAULT 0,
      model TEXT NOT NULL DEFAULT '',
      requests INTEGER NOT NULL DEFAULT 0,
      errors INTEGER NOT NULL DEFAULT 0,
      rate_limited INTEGER NOT NULL DEFAULT 0,
      prompt_tokens INTEGER NOT NULL DEFAULT 0,
      completion_tokens INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (day, user_id, key_id, model)
    ) WITHOUT ROWID;
    CREATE INDEX usage_daily_key ON usage_daily(key_id, day);
    CREATE INDEX usage_daily_user ON usage_daily(user_id, day);

    INSERT INTO usage_daily (day, user_id, key_id, model, requests, errors, rate_limited, prompt_tokens,
      completion_tokens)
    SELECT date(created_at, 'localtime'), coalesce(user_id, 0), coalesce(key_id, 0), coalesce(model, ''),
      count(*), sum(status >= 400), sum(outcome = 'rate_limited'), coalesce(sum(prompt_tokens), 0),
      coalesce(sum(completion_tokens), 0)
    FROM activity GROUP BY 1, 2, 3, 4;
  `,
};
