/**
 * The activity log: records one row per `/v1` request, lists them with
 * filters and a cursor (admins see everyone's, users their own), totals per
 * model and user, a time series for the chart, CSV export, and retention.
 *
 * @module
 */
import { z } from "zod";
import { type Db, transaction } from "../../db/mod.ts";
import { addUsage, pruneUsage } from "../../db/limits.ts";
import { Calendar } from "../limits/calendar.ts";
import {
  ACTIVITY_COLUMNS,
  type ActivityBucket,
  type ActivityFilter,
  type ActivityRow,
  activitySeries,
  type ActivityTotals,
  activityTotals,
  insertActivity,
  lastPerProfile,
  pruneActivity,
  queryActivity,
} from "../../db/activity.ts";
import { AppError } from "../../lib/errors.ts";
import type { EventBus } from "../events.ts";
import type { GatewayActivityEvent } from "../../lib/event_types.ts";

export type { ActivityRow } from "../../db/activity.ts";

/** Days the daily usage roll-ups are kept (13 months), whatever the activity retention. */
export const USAGE_DAYS = 400;

/** The `machine` filter's name for this machine (no upstream may take it). */
export const LOCAL_MACHINE = "local";

/** Who asks. */
export interface ActivityCaller {
  id: number;
  isAdmin: boolean;
}

/** The query of `GET /api/activity`. */
export const ActivityQuery = z.object({
  user: z.coerce.number().int().positive().optional(),
  key: z.coerce.number().int().positive().optional(),
  model: z.string().trim().min(1).max(200).optional(),
  profile: z.coerce.number().int().positive().optional(),
  /** `local` for this machine's own profiles, or an upstream's name. */
  machine: z.string().trim().min(1).max(64).optional(),
  since: z.iso.datetime({ offset: true, error: "since must be an ISO 8601 date and time" }).optional(),
  status: z.coerce.number().int().min(100).max(599).optional(),
  cursor: z.string().regex(/^\d+$/, "cursor must come from next_cursor").optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** A validated query. */
export type ActivityQueryInput = z.output<typeof ActivityQuery>;

/** One page of rows. */
export interface ActivityPage {
  data: ActivityRow[];
  /** Pass as `cursor` for the next (older) page; null at the end. */
  next_cursor: string | null;
}

/** One CSV cell: quoted when it must be, and never a formula a spreadsheet would run. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The activity service.
 *
 * @example
 * ```ts
 * const activity = new ActivityLog({ db, bus, retentionDays: 30 });
 * activity.record(row);
 * activity.list({ id: 1, isAdmin: true }, { limit: 50 }).data;
 * ```
 */
export class ActivityLog {
  readonly #recorded = new Set<(row: ActivityRow) => void>();
  /** The calendar of the daily roll-ups (the manager's time zone). */
  readonly calendar: Calendar;

  constructor(readonly deps: { db: Db; bus: EventBus; retentionDays: number; calendar?: Calendar }) {
    this.calendar = deps.calendar ?? new Calendar(Intl.DateTimeFormat().resolvedOptions().timeZone);
  }

  /**
   * Stores a finished request and adds it to its day's roll-up (in one
   * transaction), then tells the listeners and open pages (without who made it).
   */
  record(row: ActivityRow): void {
    const { db } = this.deps;
    transaction(db, () => {
      insertActivity(db, row);
      addUsage(db, {
        day: this.calendar.day(Date.parse(row.created_at)),
        userId: row.user_id,
        keyId: row.key_id,
        model: row.model,
        error: row.status >= 400,
        rateLimited: row.outcome === "rate_limited",
        promptTokens: row.prompt_tokens ?? 0,
        completionTokens: row.completion_tokens ?? 0,
      });
    });
    for (const listener of this.#recorded) listener(row);
    this.deps.bus.publish("gateway.activity", { id: row.id, ...activitySummary(row) });
  }

  /** Calls `listener` with each row recorded from now on; returns the function that stops it. */
  onRecord(listener: (row: ActivityRow) => void): () => void {
    this.#recorded.add(listener);
    return () => this.#recorded.delete(listener);
  }

  #filter(
    caller: ActivityCaller,
    query: Partial<ActivityQueryInput>,
  ): Omit<ActivityFilter, "limit" | "before"> {
    if (query.user !== undefined && query.user !== caller.id && !caller.isAdmin) {
      throw new AppError("forbidden", "Only admins may see other users' activity");
    }
    return {
      userId: caller.isAdmin ? query.user : caller.id,
      keyId: query.key,
      model: query.model,
      profileId: query.profile,
      upstream: query.machine === undefined
        ? undefined
        : query.machine.toLowerCase() === LOCAL_MACHINE
        ? null
        : query.machine,
      since: query.since ? new Date(query.since).toISOString() : undefined,
      status: query.status,
    };
  }

  /** A page of rows, newest first. */
  list(caller: ActivityCaller, query: Partial<ActivityQueryInput> & { limit: number }): ActivityPage {
    const rows = queryActivity(this.deps.db, {
      ...this.#filter(caller, query),
      before: query.cursor ? Number(query.cursor) : undefined,
      limit: query.limit + 1,
    });
    const more = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    return {
      data: page.map(({ seq: _, ...row }) => row),
      next_cursor: more ? String(page.at(-1)!.seq) : null,
    };
  }

  /** Totals per model and per user. */
  totals(
    caller: ActivityCaller,
    query: Partial<ActivityQueryInput>,
  ): { models: ActivityTotals[]; users: ActivityTotals[] } {
    const filter = this.#filter(caller, query);
    return {
      models: activityTotals(this.deps.db, "model", filter),
      users: activityTotals(this.deps.db, "user_id", filter),
    };
  }

  /** Requests and tokens/s per bucket. */
  series(
    caller: ActivityCaller,
    query: Partial<ActivityQueryInput>,
    bucketSeconds: number,
  ): ActivityBucket[] {
    return activitySeries(this.deps.db, bucketSeconds, this.#filter(caller, query));
  }

  /** Every matching row as CSV, newest first, with a header line. */
  *csv(caller: ActivityCaller, query: Partial<ActivityQueryInput>): Generator<string> {
    yield `${ACTIVITY_COLUMNS.join(",")}\r\n`;
    let before: number | undefined;
    const filter = this.#filter(caller, query);
    while (true) {
      const rows = queryActivity(this.deps.db, { ...filter, before, limit: 1000 });
      if (rows.length === 0) return;
      yield rows.map((r) => ACTIVITY_COLUMNS.map((c) => csvCell(r[c])).join(",")).join("\r\n") + "\r\n";
      before = rows.at(-1)!.seq;
    }
  }

  /** The last request of each profile (for the dashboard). */
  lastPerProfile(): ActivityRow[] {
    return lastPerProfile(this.deps.db).map(({ seq: _, ...row }) => row);
  }

  /** Deletes rows past the retention, and roll-ups past {@link USAGE_DAYS}; returns how many rows. */
  prune(at: number = Date.now()): number {
    pruneUsage(this.deps.db, this.calendar.day(at - USAGE_DAYS * 86_400_000));
    return pruneActivity(this.deps.db, new Date(at - this.deps.retentionDays * 86_400_000).toISOString());
  }
}

/**
 * What every reader may see of a request: its model, outcome and speed,
 * without who made it or with which key (the live event and the dashboard's
 * last requests).
 */
export function activitySummary(row: ActivityRow): Omit<GatewayActivityEvent, "id"> {
  return {
    created_at: row.created_at,
    profile_id: row.profile_id,
    model: row.model,
    endpoint: row.endpoint,
    status: row.status,
    outcome: row.outcome,
    duration_ms: row.duration_ms,
    ttft_ms: row.ttft_ms,
    tokens_per_second: row.tokens_per_second,
    completion_tokens: row.completion_tokens,
  };
}
