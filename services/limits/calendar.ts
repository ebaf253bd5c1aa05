/**
 * Calendar days, weeks (Monday first) and months in the manager's time zone,
 * for token budgets and the usage view. The current day's and each period's
 * bounds are kept until they pass, so the hot path does no date arithmetic.
 *
 * @module
 */
import type { BudgetPeriod } from "../../lib/limit_types.ts";

/** A calendar period: `[start, end)` in epoch milliseconds and its first and next days. */
export interface Span {
  start: number;
  end: number;
  /** `YYYY-MM-DD` of the first day. */
  startDay: string;
  /** `YYYY-MM-DD` of the first day after it. */
  endDay: string;
}

/** Whether `timeZone` names a zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The calendar of one time zone.
 *
 * @example
 * ```ts
 * const calendar = new Calendar("Europe/Paris");
 * calendar.day(Date.parse("2026-03-01T23:30:00Z")); // "2026-03-02"
 * calendar.span("month", Date.parse("2026-03-01T23:30:00Z")).startDay; // "2026-03-01"
 * ```
 */
export class Calendar {
  readonly #spans = new Map<BudgetPeriod, Span>();

  constructor(readonly timeZone: string) {
    if (!isTimeZone(timeZone)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  }

  /** The day of an instant, `YYYY-MM-DD`. */
  day(at: number): string {
    return this.#cached("day", at).startDay;
  }

  /** The day, week or month that holds `at`. */
  span(period: BudgetPeriod, at: number): Span {
    return this.#cached(period, at);
  }

  #cached(period: BudgetPeriod, at: number): Span {
    const kept = this.#spans.get(period);
    if (kept && at >= kept.start && at < kept.end) return kept;
    const span = spanOf(period, at, this.timeZone);
    // Only the current period is kept: older instants (rows of other days) are computed each time.
    if (!kept || span.start > kept.start) this.#spans.set(period, span);
    return span;
  }

  /** The first day of the period that holds `day` (`YYYY-MM-DD`). */
  periodStart(period: BudgetPeriod, day: string): string {
    const date = Temporal.PlainDate.from(day);
    if (period === "day") return date.toString();
    if (period === "week") return date.subtract({ days: date.dayOfWeek - 1 }).toString();
    return date.with({ day: 1 }).toString();
  }
}

/** The period of `period` kind that holds `at` in `timeZone`, without caching. */
export function spanOf(period: BudgetPeriod, at: number, timeZone: string): Span {
  const date = Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(timeZone).toPlainDate();
  const first = period === "day"
    ? date
    : period === "week"
    ? date.subtract({ days: date.dayOfWeek - 1 })
    : date.with({ day: 1 });
  const next = first.add(period === "day" ? { days: 1 } : period === "week" ? { weeks: 1 } : { months: 1 });
  return {
    start: first.toZonedDateTime({ timeZone }).epochMilliseconds,
    end: next.toZonedDateTime({ timeZone }).epochMilliseconds,
    startDay: first.toString(),
    endDay: next.toString(),
  };
}
