/**
 * Per-key and per-user limits: requests and tokens a minute, requests in
 * flight and a token budget a calendar period. {@link Limits.check} decides
 * for one request and counts it (or says which limit refuses it);
 * {@link Limits.settle} ends it with the tokens its answer used. Windows
 * live in memory; a budget's used part is read from the daily roll-up once a
 * period, then kept current from every request recorded, so it survives a
 * restart and the activity retention.
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import { type LimitStore, limitStore, tokensUsed } from "../../db/limits.ts";
import type { ActivityItem } from "../../lib/gateway_types.ts";
import { type BudgetUse, hasLimits, type Limits as LimitValues } from "../../lib/limit_types.ts";
import type { Calendar } from "./calendar.ts";
import { type RateFigures, rateFigures, type Refusal, refusal, reserve, type Subject } from "./admission.ts";
import { type Hold, SubjectState } from "./window.ts";
import { type UsageQueryInput, usageReport } from "./usage.ts";
import type { UsageReport } from "../../lib/limit_types.ts";

export type { LimitName, RateFigures, Refusal } from "./admission.ts";

/** Who makes a request. */
export interface LimitedCaller {
  keyId: number | null;
  userId: number | null;
}

/** A counted request, to settle once it ends. */
export interface Reservation {
  readonly holds: readonly Hold[];
  /** The estimated prompt tokens it was counted with. */
  readonly estimate: number;
}

/** The decision for one request. */
export type Decision =
  /** No limit applies: nothing was counted. */
  | { kind: "unlimited" }
  | { kind: "admitted"; reservation: Reservation; figures: RateFigures }
  | { kind: "refused"; refusal: Refusal; figures: RateFigures };

/** Dependencies of {@link Limits}. */
export interface LimitsDeps {
  db: Db;
  calendar: Calendar;
  /** @default Date.now */
  clock?: () => number;
}

interface BudgetCache {
  period: LimitValues["budget_period"];
  start: number;
  end: number;
  used: number;
}

/** Subjects idle this long are forgotten (their windows are empty by then). */
const SWEEP_MS = 120_000;

/**
 * The limits service.
 *
 * @example
 * ```ts
 * const limits = new Limits({ db, calendar: new Calendar("Europe/Paris") });
 * const decision = limits.check({ keyId: 3, userId: 1 }, 120);
 * if (decision.kind === "admitted") limits.settle(decision.reservation, 480);
 * ```
 */
export class Limits implements LimitStore {
  readonly #deps: LimitsDeps;
  readonly #store: LimitStore;
  /** Limits as last read, by subject; every write goes through {@link save}, which drops the entry. */
  readonly #limits = new Map<string, LimitValues | null>();
  readonly #states = new Map<string, SubjectState>();
  readonly #budgets = new Map<string, BudgetCache>();
  #swept = 0;

  constructor(deps: LimitsDeps) {
    this.#deps = deps;
    this.#store = limitStore(deps.db);
  }

  #now(): number {
    return (this.#deps.clock ?? Date.now)();
  }

  /** The limits of a key or user (kept in memory once read), or null when it does not exist. */
  limitsOf(kind: "key" | "user", id: number): LimitValues | null {
    const name = `${kind}:${id}`;
    let limits = this.#limits.get(name);
    if (limits === undefined) this.#limits.set(name, limits = this.#store.limitsOf(kind, id));
    return limits;
  }

  /** The limits of a key, or null when it does not exist. */
  keyLimits(keyId: number): LimitValues | null {
    return this.limitsOf("key", keyId);
  }

  /** The limits of a user, or null when they do not exist. */
  userLimits(userId: number): LimitValues | null {
    return this.limitsOf("user", userId);
  }

  /**
   * Replaces a key's or user's limits (checked by the caller); false when it
   * does not exist. The next request reads them again (inside a transaction
   * that rolls back, it reads the old ones).
   */
  save(kind: "key" | "user", id: number, limits: LimitValues): boolean {
    // A budget kept for another period is read again by the next check, which compares the periods.
    this.#limits.delete(`${kind}:${id}`);
    const saved = this.#store.save(kind, id, limits);
    this.#limits.delete(`${kind}:${id}`);
    return saved;
  }

  #subject(kind: "key" | "user", id: number, limits: LimitValues, now: number): Subject {
    const name = `${kind}:${id}`;
    let state = this.#states.get(name);
    if (!state) this.#states.set(name, state = new SubjectState());
    return { kind, id, limits, state, budget: this.#budget(kind, id, limits, now) };
  }

  #budget(kind: "key" | "user", id: number, limits: LimitValues, now: number): Subject["budget"] {
    const period = limits.budget_period;
    if (limits.budget_tokens === null || period === null) return null;
    const name = `${kind}:${id}`;
    let cache = this.#budgets.get(name);
    if (!cache || cache.period !== period || now >= cache.end || now < cache.start) {
      const span = this.#deps.calendar.span(period, now);
      const used = tokensUsed(this.#deps.db, kind, id, span.startDay, span.endDay);
      this.#budgets.set(name, cache = { period, start: span.start, end: span.end, used });
    }
    return { used: cache.used, end: cache.end, period };
  }

  /**
   * Decides for one request of `caller` estimated at `estimate` tokens and, if
   * it may go, counts it on its key and its user at once.
   */
  check(caller: LimitedCaller, estimate: number): Decision {
    const now = this.#now();
    this.#sweep(now);
    const subjects: Subject[] = [];
    if (caller.keyId !== null) {
      const limits = this.keyLimits(caller.keyId);
      if (hasLimits(limits)) subjects.push(this.#subject("key", caller.keyId, limits!, now));
    }
    if (caller.userId !== null) {
      const limits = this.userLimits(caller.userId);
      if (hasLimits(limits)) subjects.push(this.#subject("user", caller.userId, limits!, now));
    }
    if (subjects.length === 0) return { kind: "unlimited" };
    const refused = refusal(subjects, now);
    if (refused) return { kind: "refused", refusal: refused, figures: rateFigures(subjects, now) };
    const holds = reserve(subjects, now, estimate);
    return { kind: "admitted", reservation: { holds, estimate }, figures: rateFigures(subjects, now) };
  }

  /** Ends a counted request with the tokens its answer used. */
  settle(reservation: Reservation, tokens: number): void {
    const now = this.#now();
    for (const hold of reservation.holds) hold.state.settle(hold, now, tokens);
  }

  /** Keeps the budgets current with a request just recorded (by `/v1` or the chat). */
  recorded(
    row: Pick<ActivityItem, "created_at" | "key_id" | "user_id" | "prompt_tokens" | "completion_tokens">,
  ): void {
    const tokens = (row.prompt_tokens ?? 0) + (row.completion_tokens ?? 0);
    if (tokens === 0) return;
    const at = Date.parse(row.created_at);
    for (
      const name of [
        row.key_id !== null && `key:${row.key_id}`,
        row.user_id !== null && `user:${row.user_id}`,
      ]
    ) {
      if (!name) continue;
      const cache = this.#budgets.get(name);
      if (cache && at >= cache.start && at < cache.end) cache.used += tokens;
    }
  }

  /** A key's or user's budget and how much of its current period is used; null without a budget. */
  budgetUse(kind: "key" | "user", id: number, limits: LimitValues): BudgetUse | null {
    const budget = this.#budget(kind, id, limits, this.#now());
    if (!budget || limits.budget_tokens === null) return null;
    const state = this.#states.get(`${kind}:${id}`);
    const used = budget.used + (state?.pending ?? 0);
    return {
      tokens: limits.budget_tokens,
      period: budget.period,
      used,
      percent: limits.budget_tokens > 0 ? Math.round(used / limits.budget_tokens * 1000) / 10 : 100,
      resets_at: new Date(budget.end).toISOString(),
    };
  }

  /** The usage report `caller` may see (admins everyone's, users their own). */
  usage(caller: { id: number; isAdmin: boolean }, query: UsageQueryInput): UsageReport {
    return usageReport(
      { db: this.#deps.db, calendar: this.#deps.calendar, limits: this, clock: this.#deps.clock },
      caller,
      query,
    );
  }

  #sweep(now: number): void {
    if (now - this.#swept < SWEEP_MS) return;
    this.#swept = now;
    for (const [name, state] of this.#states) {
      if (now - state.touched > SWEEP_MS && state.idle(now)) this.#states.delete(name);
    }
  }
}
