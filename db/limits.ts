/**
 * Limits of keys and users (their columns in `api_keys` and `users`), and
 * the `usage_daily` roll-up that token budgets and the usage view read.
 *
 * @module
 */
import { type Db, statement } from "./mod.ts";
import { nullable, type SqlValue } from "./rows.ts";
import type { BudgetPeriod, Limits } from "../lib/limit_types.ts";

/** The limit columns, as `SELECT` lists them. */
const COLUMNS = "rpm, tpm, max_parallel, budget_tokens, budget_period";

/** The limits held by a row of `api_keys` or `users`. */
export function limitsOf(r: Record<string, unknown>): Limits {
  return {
    rpm: nullable(r.rpm, Number),
    tpm: nullable(r.tpm, Number),
    max_parallel: nullable(r.max_parallel, Number),
    budget_tokens: nullable(r.budget_tokens, Number),
    budget_period: nullable(r.budget_period, (v) => String(v) as BudgetPeriod),
  };
}

/** Which table's limits. */
export type LimitTable = "api_keys" | "users";

/** The limits of a key or user; null when it does not exist. */
export function findLimits(db: Db, table: LimitTable, id: number): Limits | null {
  const row = statement(db, `SELECT ${COLUMNS} FROM ${table} WHERE id = ?`).get(id);
  return row ? limitsOf(row) : null;
}

/** Replaces the limits of a key or user; false when it does not exist. */
export function saveLimits(db: Db, table: LimitTable, id: number, limits: Limits): boolean {
  return statement(
    db,
    `UPDATE ${table} SET rpm = ?, tpm = ?, max_parallel = ?, budget_tokens = ?, budget_period = ? WHERE id = ?`,
  ).run(limits.rpm, limits.tpm, limits.max_parallel, limits.budget_tokens, limits.budget_period, id)
    .changes > 0;
}

/** Reads and writes the limits of keys and users. */
export interface LimitStore {
  /** The limits of a key or user; null when it does not exist. */
  limitsOf(kind: "key" | "user", id: number): Limits | null;
  /** Replaces them; false when the key or user does not exist. */
  save(kind: "key" | "user", id: number, limits: Limits): boolean;
}

const TABLE = { key: "api_keys", user: "users" } as const;

/** The store that reads and writes the database each time (no cache). */
export function limitStore(db: Db): LimitStore {
  return {
    limitsOf: (kind, id) => findLimits(db, TABLE[kind], id),
    save: (kind, id, limits) => saveLimits(db, TABLE[kind], id, limits),
  };
}

/** What one finished request adds to its day's roll-up. */
export interface UsageDelta {
  /** `YYYY-MM-DD` in the manager's time zone. */
  day: string;
  userId: number | null;
  keyId: number | null;
  model: string | null;
  error: boolean;
  rateLimited: boolean;
  promptTokens: number;
  completionTokens: number;
}

/** Adds one request to its day's roll-up. */
export function addUsage(db: Db, d: UsageDelta): void {
  statement(
    db,
    `INSERT INTO usage_daily (day, user_id, key_id, model, requests, errors, rate_limited, prompt_tokens,
       completion_tokens) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)
     ON CONFLICT (day, user_id, key_id, model) DO UPDATE SET requests = requests + 1,
       errors = errors + excluded.errors, rate_limited = rate_limited + excluded.rate_limited,
       prompt_tokens = prompt_tokens + excluded.prompt_tokens,
       completion_tokens = completion_tokens + excluded.completion_tokens`,
  ).run(
    d.day,
    d.userId ?? 0,
    d.keyId ?? 0,
    d.model ?? "",
    d.error ? 1 : 0,
    d.rateLimited ? 1 : 0,
    d.promptTokens,
    d.completionTokens,
  );
}

/** Tokens (prompt + completion) of a key or user over the days `[from, to)` (`YYYY-MM-DD`). */
export function tokensUsed(db: Db, subject: "key" | "user", id: number, from: string, to: string): number {
  const column = subject === "key" ? "key_id" : "user_id";
  const row = statement(
    db,
    `SELECT coalesce(sum(prompt_tokens + completion_tokens), 0) AS n FROM usage_daily
     WHERE ${column} = ? AND day >= ? AND day < ?`,
  ).get(id, from, to);
  return Number(row?.n ?? 0);
}

/** One roll-up row, summed over the models (or not) as a usage query asks. */
export interface UsageDayRow {
  day: string;
  group: number | string | null;
  requests: number;
  errors: number;
  rate_limited: number;
  prompt_tokens: number;
  completion_tokens: number;
}

/** Roll-up rows from `since` (`YYYY-MM-DD`) grouped by day and `groupBy`, of one user or everyone. */
export function usageDays(
  db: Db,
  groupBy: "key" | "user" | "model",
  filter: { since: string; userId?: number },
): UsageDayRow[] {
  const column = { key: "key_id", user: "user_id", model: "model" }[groupBy];
  const params: SqlValue[] = [filter.since];
  let where = "day >= ?";
  if (filter.userId !== undefined) {
    where += " AND user_id = ?";
    params.push(filter.userId);
  }
  return statement(
    db,
    `SELECT day, ${column} AS grp, sum(requests) AS requests, sum(errors) AS errors,
       sum(rate_limited) AS rate_limited, sum(prompt_tokens) AS prompt_tokens,
       sum(completion_tokens) AS completion_tokens
     FROM usage_daily WHERE ${where} GROUP BY day, grp ORDER BY day, grp`,
  ).all(...params).map((r) => ({
    day: String(r.day),
    // 0 and '' stand for "none" in the roll-up.
    group: r.grp === 0 || r.grp === "" ? null : typeof r.grp === "string" ? r.grp : Number(r.grp),
    requests: Number(r.requests),
    errors: Number(r.errors),
    rate_limited: Number(r.rate_limited),
    prompt_tokens: Number(r.prompt_tokens),
    completion_tokens: Number(r.completion_tokens),
  }));
}

/** The first-token times of the activity rows still kept since `since` (ISO), with their group. */
export function firstTokenTimes(
  db: Db,
  groupBy: "key" | "user" | "model",
  filter: { since: string; userId?: number },
): { created_at: string; group: number | string | null; ttft_ms: number }[] {
  const column = { key: "key_id", user: "user_id", model: "model" }[groupBy];
  const params: SqlValue[] = [filter.since];
  let where = "created_at >= ? AND ttft_ms IS NOT NULL";
  if (filter.userId !== undefined) {
    where += " AND user_id = ?";
    params.push(filter.userId);
  }
  return statement(db, `SELECT created_at, ${column} AS grp, ttft_ms FROM activity WHERE ${where}`)
    .all(...params).map((r) => ({
      created_at: String(r.created_at),
      group: r.grp === null ? null : typeof r.grp === "string" ? r.grp : Number(r.grp),
      ttft_ms: Number(r.ttft_ms),
    }));
}

/** Deletes roll-up days before `before` (`YYYY-MM-DD`); returns how many rows. */
export function pruneUsage(db: Db, before: string): number {
  return Number(statement(db, "DELETE FROM usage_daily WHERE day < ?").run(before).changes);
}
