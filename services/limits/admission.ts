/**
 * The decision for one request against the limits of its key and its user:
 * every limit of every subject is checked first, then the request is counted
 * on all of them, in one synchronous step, so concurrent requests cannot slip
 * between a check and its count. Pure: states, limits and the time in.
 *
 * @module
 */
import type { BudgetPeriod, Limits } from "../../lib/limit_types.ts";
import type { Hold, SubjectState } from "./window.ts";

/** A key or a user, with its limits and its budget's current period. */
export interface Subject {
  kind: "key" | "user";
  id: number;
  limits: Limits;
  state: SubjectState;
  /** Tokens already used in the budget's current period (from the roll-up), when it has a budget. */
  budget: { used: number; end: number; period: BudgetPeriod } | null;
}

/** Which limit refused a request. */
export type LimitName = "rpm" | "tpm" | "max_parallel" | "budget";

/** A refusal. */
export interface Refusal {
  limit: LimitName;
  subject: Subject;
  /** Milliseconds after which a retry may pass. */
  retryAfterMs: number;
  /** For a budget: when its period ends (epoch ms). */
  resetsAt?: number;
}

/** The `x-ratelimit-*` figures of the tightest subject, per trio. */
export interface RateFigures {
  requests: { limit: number; remaining: number; resetMs: number } | null;
  tokens: { limit: number; remaining: number; resetMs: number } | null;
}

/** Checks every limit of every subject; the first one exceeded, or null. */
export function refusal(subjects: readonly Subject[], now: number): Refusal | null {
  for (const s of subjects) {
    const { rpm, tpm, max_parallel } = s.limits;
    if (max_parallel !== null && s.state.inFlight >= max_parallel) {
      return { limit: "max_parallel", subject: s, retryAfterMs: 1000 };
    }
    if (rpm !== null && s.state.requests(now) >= rpm) {
      return { limit: "rpm", subject: s, retryAfterMs: s.state.requestsFreeIn(now) };
    }
    if (tpm !== null && s.state.tokens(now) >= tpm) {
      return { limit: "tpm", subject: s, retryAfterMs: s.state.tokensBelowIn(now, tpm) };
    }
    const budget = s.limits.budget_tokens;
    if (budget !== null && s.budget && s.budget.used + s.state.pending >= budget) {
      return { limit: "budget", subject: s, retryAfterMs: s.budget.end - now, resetsAt: s.budget.end };
    }
  }
  return null;
}

/** Counts an admitted request on every subject. */
export function reserve(subjects: readonly Subject[], now: number, estimate: number): Hold[] {
  return subjects.map((s) => s.state.reserve(now, estimate));
}

/**
 * The `x-ratelimit-*` figures after this request was counted: for requests
 * and for tokens, the subject with the fewest left. `resetMs` is the time
 * until the oldest request (or tokens) of the window leaves it, freeing more.
 */
export function rateFigures(subjects: readonly Subject[], now: number): RateFigures {
  let requests: RateFigures["requests"] = null;
  let tokens: RateFigures["tokens"] = null;
  for (const s of subjects) {
    const { rpm, tpm } = s.limits;
    if (rpm !== null) {
      const remaining = Math.max(0, rpm - s.state.requests(now));
      if (!requests || remaining < requests.remaining) {
        requests = { limit: rpm, remaining, resetMs: s.state.requestsFreeIn(now) };
      }
    }
    if (tpm !== null) {
      const used = s.state.tokens(now);
      const remaining = Math.max(0, tpm - used);
      if (!tokens || remaining < tokens.remaining) {
        tokens = { limit: tpm, remaining, resetMs: s.state.tokensBelowIn(now, used) };
      }
    }
  }
  return { requests, tokens };
}

/**
 * A duration as OpenAI writes it in `x-ratelimit-reset-*`: `250ms`, `12s`, `1m0s`.
 *
 * @example
 * ```ts
 * resetText(61_200); // "1m2s"
 * ```
 */
export function resetText(ms: number): string {
  if (ms <= 0) return "0s";
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

/** The response headers of the figures. */
export function rateHeaders(figures: RateFigures): Record<string, string> {
  const out: Record<string, string> = {};
  if (figures.requests) {
    out["x-ratelimit-limit-requests"] = String(figures.requests.limit);
    out["x-ratelimit-remaining-requests"] = String(figures.requests.remaining);
    out["x-ratelimit-reset-requests"] = resetText(figures.requests.resetMs);
  }
  if (figures.tokens) {
    out["x-ratelimit-limit-tokens"] = String(figures.tokens.limit);
    out["x-ratelimit-remaining-tokens"] = String(figures.tokens.remaining);
    out["x-ratelimit-reset-tokens"] = resetText(figures.tokens.resetMs);
  }
  return out;
}
