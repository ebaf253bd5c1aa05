/**
 * The `activity` table: one row per `/v1` request. Never a key's secret and
 * never the prompt.
 *
 * @module
 */
import { type Db, statement } from "./mod.ts";
import type { ActivityBucketItem, ActivityItem, ActivityTotalsItem } from "../lib/gateway_types.ts";
import { nullable, presentClauses, type SqlValue } from "./rows.ts";

export type { Outcome } from "../lib/gateway_types.ts";

/** One request as recorded: the row `GET /api/activity` lists, declared once in `lib/`. */
export type ActivityRow = ActivityItem;

/** The columns, in the order CSV exports them. */
export const ACTIVITY_COLUMNS: readonly (keyof ActivityRow)[] = [
  "id",
  "created_at",
  "user_id",
  "key_id",
  "endpoint",
  "model",
  "profile_id",
  "upstream",
  "stream",
  "status",
  "outcome",
  "prompt_tokens",
  "completion_tokens",
  "tokens_estimated",
  "ttft_ms",
  "tokens_per_second",
  "duration_ms",
  "queue_ms",
  "cold_start",
];

const BOOLEANS = new Set(["stream", "tokens_estimated", "cold_start"]);

function toRow(r: Record<string, unknown>): ActivityRow & { seq: number } {
  const out: Record<string, unknown> = { seq: Number(r.seq) };
  for (const column of ACTIVITY_COLUMNS) {
    const value = r[column];
    out[column] = BOOLEANS.has(column) ? value === 1 : typeof value === "bigint" ? Number(value) : value;
  }
  return out as unknown as ActivityRow & { seq: number };
}

/** Inserts a row. */
export function insertActivity(db: Db, row: ActivityRow): void {
  statement(
    db,
    `INSERT INTO activity (${ACTIVITY_COLUMNS.join(", ")}) VALUES (${
      ACTIVITY_COLUMNS.map(() => "?").join(", ")
    })`,
  ).run(...ACTIVITY_COLUMNS.map((c) => {
    const value = row[c];
    return typeof value === "boolean" ? (value ? 1 : 0) : value as string | number | null;
  }));
}

/** Filters of {@link queryActivity}. */
export interface ActivityFilter {
  userId?: number;
  keyId?: number;
  model?: string;
  profileId?: number;
  /** The machine: an upstream's name, or null for this one's own profiles. */
  upstream?: string | null;
  /** ISO time: rows at or after it. */
  since?: string;
  status?: number;
  /** Rows older than this `seq` (the cursor). */
  before?: number;
  limit: number;
}

function where(filter: Omit<ActivityFilter, "limit">): { sql: string; params: SqlValue[] } {
  const { clauses, params } = presentClauses({
    "user_id = ?": filter.userId,
    "key_id = ?": filter.keyId,
    "model = ? COLLATE NOCASE": filter.model,
    "profile_id = ?": filter.profileId,
    "created_at >= ?": filter.since,
    "status = ?": filter.status,
    "seq < ?": filter.before,
    "upstream = ? COLLATE NOCASE": filter.upstream ?? undefined,
  });
  if (filter.upstream === null) clauses.push("upstream IS NULL");
  return { sql: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

/** Rows matching `filter`, newest first, with the `seq` used as the cursor. */
export function queryActivity(db: Db, filter: ActivityFilter): (ActivityRow & { seq: number })[] {
  const { sql, params } = where(filter);
  return statement(db, `SELECT * FROM activity ${sql} ORDER BY seq DESC LIMIT ?`).all(...params, filter.limit)
    .map(toRow);
}

/** Per-group totals of rows matching `filter` (the API's group without the user's email). */
export type ActivityTotals = Omit<ActivityTotalsItem, "email">;

/** Totals grouped by model or user. */
export function activityTotals(
  db: Db,
  groupBy: "model" | "user_id",
  filter: Omit<ActivityFilter, "limit" | "before">,
): ActivityTotals[] {
  const { sql, params } = where(filter);
  return statement(
    db,
    `SELECT ${groupBy} AS key, count(*) AS requests, sum(status >= 400) AS errors,
       coalesce(sum(prompt_tokens), 0) AS prompt_tokens, coalesce(sum(completion_tokens), 0) AS completion_tokens,
       avg(ttft_ms) AS avg_ttft_ms, avg(tokens_per_second) AS avg_tokens_per_second
     FROM activity ${sql} GROUP BY ${groupBy} ORDER BY requests DESC LIMIT 100`,
  ).all(...params).map((r) => ({
    key: r.key as string | number | null,
    requests: Number(r.requests),
    errors: Number(r.errors ?? 0),
    prompt_tokens: Number(r.prompt_tokens),
    completion_tokens: Number(r.completion_tokens),
    avg_ttft_ms: nullable(r.avg_ttft_ms, Number),
    avg_tokens_per_second: nullable(r.avg_tokens_per_second, Number),
  }));
}

/** One bucket of the requests and tokens/s chart; `at` is the ISO time it starts. */
export type ActivityBucket = ActivityBucketItem;

/** Requests and mean tokens/s per `bucketSeconds` since `filter.since`. */
export function activitySeries(
  db: Db,
  bucketSeconds: number,
  filter: Omit<ActivityFilter, "limit" | "before">,
): ActivityBucket[] {
  const { sql, params } = where(filter);
  return statement(
    db,
    `SELECT (CAST(strftime('%s', created_at) AS INTEGER) / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS bucket, count(*) AS requests,
       avg(tokens_per_second) AS tps
     FROM activity ${sql} GROUP BY bucket ORDER BY bucket`,
  ).all(bucketSeconds, bucketSeconds, ...params).map((r) => ({
    at: new Date(Number(r.bucket) * 1000).toISOString(),
    requests: Number(r.requests),
    avg_tokens_per_second: nullable(r.tps, Number),
  }));
}

/** Deletes rows older than `before` (ISO); returns how many. */
export function pruneActivity(db: Db, before: string): number {
  return Number(statement(db, "DELETE FROM activity WHERE created_at < ?").run(before).changes);
}

/** The newest row of each profile. */
export function lastPerProfile(db: Db): (ActivityRow & { seq: number })[] {
  return statement(
    db,
    `SELECT a.* FROM activity a JOIN (SELECT profile_id, max(seq) AS seq FROM activity
       WHERE profile_id IS NOT NULL GROUP BY profile_id) m ON a.seq = m.seq`,
  ).all().map(toRow);
}
