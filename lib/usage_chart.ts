/**
 * The Usage view's chart as data: one bar per day, week or month, its
 * tokens stacked by model (the largest few; the rest as "other"). Pure,
 * browser-safe.
 *
 * @module
 */
import type { BudgetPeriod, UsageReport } from "./limit_types.ts";

/** One model's part of a bar. */
export interface Segment {
  model: string;
  tokens: number;
}

/** One period's bar. */
export interface Bar {
  bucket: string;
  total: number;
  segments: Segment[];
}

/** The name of the models past the largest ones. */
export const OTHER = "other";

/**
 * Every bucket from `since` to `until` (`YYYY-MM-DD`), a `period` apart, so
 * periods without requests show as empty bars.
 *
 * @example
 * ```ts
 * bucketRange("2026-01-29", "2026-02-12", "week"); // ["2026-01-29", "2026-02-05", "2026-02-12"]
 * ```
 */
export function bucketRange(since: string, until: string, period: BudgetPeriod): string[] {
  const out: string[] = [];
  const date = new Date(`${since}T00:00:00Z`);
  const end = Date.parse(`${until}T00:00:00Z`);
  for (let i = 0; date.getTime() <= end && i < 1000; i++) {
    out.push(date.toISOString().slice(0, 10));
    if (period === "day") date.setUTCDate(date.getUTCDate() + 1);
    else if (period === "week") date.setUTCDate(date.getUTCDate() + 7);
    else date.setUTCMonth(date.getUTCMonth() + 1);
  }
  return out;
}

/**
 * The bars of a report grouped by model: the `series - 1` models with the
 * most tokens keep their own colour, the others are summed as {@link OTHER}.
 */
export function stackByModel(
  report: UsageReport,
  series = 6,
): { models: string[]; bars: Bar[]; peak: number } {
  const totals = new Map<string, number>();
  for (const b of report.buckets) {
    const name = String(b.group ?? "—");
    totals.set(name, (totals.get(name) ?? 0) + b.prompt_tokens + b.completion_tokens);
  }
  const ranked = [...totals].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).map(([m]) => m);
  const kept = ranked.length > series ? ranked.slice(0, series - 1) : ranked;
  const models = ranked.length > kept.length ? [...kept, OTHER] : kept;
  const byBucket = new Map<string, Map<string, number>>();
  for (const b of report.buckets) {
    const name = String(b.group ?? "—");
    const model = kept.includes(name) ? name : OTHER;
    let parts = byBucket.get(b.bucket);
    if (!parts) byBucket.set(b.bucket, parts = new Map());
    parts.set(model, (parts.get(model) ?? 0) + b.prompt_tokens + b.completion_tokens);
  }
  const bars = bucketRange(report.since, report.until, report.period).map((bucket) => {
    const parts = byBucket.get(bucket);
    const segments = models.map((model) => ({ model, tokens: parts?.get(model) ?? 0 })).filter((s) =>
      s.tokens > 0
    );
    return { bucket, total: segments.reduce((n, s) => n + s.tokens, 0), segments };
  });
  return { models, bars, peak: Math.max(0, ...bars.map((b) => b.total)) };
}
