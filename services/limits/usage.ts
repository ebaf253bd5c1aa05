/**
 * `GET /api/usage`: requests, tokens, errors, refusals and the median time to
 * the first token, per key, user or model and per day, week or month (in the
 * manager's time zone), with each key's or user's budget as it stands. Counts
 * come from the daily roll-ups (kept 13 months); first-token times from the
 * activity rows still kept.
 *
 * @module
 */
import { z } from "zod";
import type { Db } from "../../db/mod.ts";
import { findApiKey } from "../../db/api_keys.ts";
import { findUser } from "../../db/users.ts";
import { firstTokenTimes, usageDays } from "../../db/limits.ts";
import { AppError } from "../../lib/errors.ts";
import {
  BUDGET_PERIODS,
  type BudgetPeriod,
  type UsageBucketItem,
  type UsageGroupItem,
  type UsageReport,
} from "../../lib/limit_types.ts";
import type { Calendar } from "./calendar.ts";
import { csvCell } from "../gateway/activity.ts";
import type { Limits } from "./mod.ts";

/** How far back a report goes when `since` is not given, per period. */
const DEFAULT_SPAN: Record<BudgetPeriod, number> = { day: 30, week: 12 * 7, month: 365 };

/** The query of `GET /api/usage`. */
export const UsageQuery = z.object({
  group_by: z.enum(["key", "user", "model"], { error: "group_by must be key, user or model" }).default(
    "model",
  ),
  period: z.enum(BUDGET_PERIODS, { error: `period must be one of ${BUDGET_PERIODS.join(", ")}` }).default(
    "day",
  ),
  since: z.string().trim().refine((v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)), {
    error: "since must be an ISO 8601 date or date and time",
  }).optional(),
  user: z.coerce.number().int().positive().optional(),
});

/** A validated query. */
export type UsageQueryInput = z.output<typeof UsageQuery>;

/** Dependencies of {@link usageReport}. */
export interface UsageDeps {
  db: Db;
  calendar: Calendar;
  limits: Limits;
  /** @default Date.now */
  clock?: () => number;
}

/** The median of a sample, or null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return Math.round(m * 100) / 100;
}

type Counts = Omit<UsageBucketItem, "group" | "bucket" | "median_ttft_ms">;

const zero = (): Counts => ({
  requests: 0,
  prompt_tokens: 0,
  completion_tokens: 0,
  errors: 0,
  rate_limited: 0,
});

function add(to: Counts, from: Counts): void {
  to.requests += from.requests;
  to.prompt_tokens += from.prompt_tokens;
  to.completion_tokens += from.completion_tokens;
  to.errors += from.errors;
  to.rate_limited += from.rate_limited;
}

/**
 * The usage report `caller` may see: admins everyone's (or one user's with
 * `user`), users their own.
 *
 * @example
 * ```ts
 * usageReport(deps, { id: 1, isAdmin: true }, { group_by: "model", period: "day" }).buckets;
 * ```
 */
export function usageReport(
  deps: UsageDeps,
  caller: { id: number; isAdmin: boolean },
  query: UsageQueryInput,
): UsageReport {
  if (query.user !== undefined && query.user !== caller.id && !caller.isAdmin) {
    throw new AppError("forbidden", "Only admins may see other users' usage");
  }
  const { calendar } = deps;
  const now = (deps.clock ?? Date.now)();
  const userId = caller.isAdmin ? query.user : caller.id;
  const sinceAt = query.since
    ? Date.parse(/T/.test(query.since) ? query.since : `${query.since}T12:00:00Z`)
    : now - DEFAULT_SPAN[query.period] * 86_400_000;
  const since = calendar.periodStart(query.period, calendar.day(sinceAt));
  const bucketOf = new Map<string, string>();
  const bucket = (day: string) => {
    let b = bucketOf.get(day);
    if (b === undefined) bucketOf.set(day, b = calendar.periodStart(query.period, day));
    return b;
  };
  const cell = (group: UsageBucketItem["group"], b: string) => `${b}\u0000${typeof group}:${group}`;

  const buckets = new Map<string, UsageBucketItem>();
  const groups = new Map<string, { group: UsageBucketItem["group"]; counts: Counts; ttft: number[] }>();
  const groupOf = (group: UsageBucketItem["group"]) => {
    const k = `${typeof group}:${group}`;
    let g = groups.get(k);
    if (!g) groups.set(k, g = { group, counts: zero(), ttft: [] });
    return g;
  };
  for (const row of usageDays(deps.db, query.group_by, { since, userId })) {
    const b = bucket(row.day);
    let item = buckets.get(cell(row.group, b));
    if (!item) {
      buckets.set(
        cell(row.group, b),
        item = { group: row.group, bucket: b, ...zero(), median_ttft_ms: null },
      );
    }
    add(item, row);
    add(groupOf(row.group).counts, row);
  }
  const ttfts = new Map<string, number[]>();
  const fromIso = new Date(calendar.span("day", Date.parse(`${since}T12:00:00Z`)).start).toISOString();
  for (const t of firstTokenTimes(deps.db, query.group_by, { since: fromIso, userId })) {
    const k = cell(t.group, bucket(calendar.day(Date.parse(t.created_at))));
    let list = ttfts.get(k);
    if (!list) ttfts.set(k, list = []);
    list.push(t.ttft_ms);
    groupOf(t.group).ttft.push(t.ttft_ms);
  }
  for (const [k, item] of buckets) item.median_ttft_ms = median(ttfts.get(k) ?? []);

  return {
    group_by: query.group_by,
    period: query.period,
    since,
    until: calendar.periodStart(query.period, calendar.day(now)),
    time_zone: calendar.timeZone,
    buckets: [...buckets.values()].sort((a, b) => a.bucket.localeCompare(b.bucket)),
    groups: [...groups.values()]
      .map((g) => describe(deps, query.group_by, g.group, { ...g.counts, median_ttft_ms: median(g.ttft) }))
      .sort((a, b) => b.prompt_tokens + b.completion_tokens - (a.prompt_tokens + a.completion_tokens)),
  };
}

function describe(
  deps: UsageDeps,
  groupBy: UsageQueryInput["group_by"],
  group: UsageBucketItem["group"],
  counts: Counts & { median_ttft_ms: number | null },
): UsageGroupItem {
  const base = { group, ...counts };
  if (groupBy === "model" || group === null || typeof group === "string") {
    return {
      ...base,
      label: group === null ? (groupBy === "model" ? "—" : "none") : String(group),
      budget: null,
    };
  }
  if (groupBy === "key") {
    const key = findApiKey(deps.db, group);
    return {
      ...base,
      label: key ? key.name : `key ${group} (deleted)`,
      owner: key ? findUser(deps.db, key.userId)?.email ?? null : null,
      budget: key && !key.revokedAt ? deps.limits.budgetUse("key", group, key.limits) : null,
    };
  }
  const user = findUser(deps.db, group);
  return {
    ...base,
    label: user ? user.email : `user ${group} (deleted)`,
    budget: user ? deps.limits.budgetUse("user", group, user.limits) : null,
  };
}

/** The report's buckets as CSV, with a header line. */
export function usageCsv(report: UsageReport): string {
  const labels = new Map(report.groups.map((g) => [`${typeof g.group}:${g.group}`, g.label]));
  const header = [
    report.period,
    report.group_by,
    "label",
    "requests",
    "prompt_tokens",
    "completion_tokens",
    "errors",
    "rate_limited",
    "median_ttft_ms",
  ];
  const lines = report.buckets.map((b) =>
    [
      b.bucket,
      b.group,
      labels.get(`${typeof b.group}:${b.group}`),
      b.requests,
      b.prompt_tokens,
      b.completion_tokens,
      b.errors,
      b.rate_limited,
      b.median_ttft_ms,
    ].map(csvCell).join(",")
  );
  return [header.join(","), ...lines].join("\r\n") + "\r\n";
}
