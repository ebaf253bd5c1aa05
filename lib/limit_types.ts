/**
 * The limits a key or a user may carry, and the usage API's shapes.
 * Browser-safe: types and constants only.
 *
 * @module
 */

/** The calendar periods a token budget may span. */
export const BUDGET_PERIODS = ["day", "week", "month"] as const;

/** A calendar period of a token budget, in the manager's time zone. */
export type BudgetPeriod = typeof BUDGET_PERIODS[number];

/**
 * Limits on a key or a user; null = no limit. A user's limits bind all their
 * keys (and their sessions) together.
 */
export interface Limits {
  /** Requests a minute. */
  rpm: number | null;
  /** Prompt plus completion tokens a minute. */
  tpm: number | null;
  /** Requests in flight at once. */
  max_parallel: number | null;
  /** Tokens a {@link budget_period}. */
  budget_tokens: number | null;
  /** The budget's calendar period; set together with {@link budget_tokens}. */
  budget_period: BudgetPeriod | null;
}

/** The limit fields, in the order forms and tables show them. */
export const LIMIT_FIELDS = ["rpm", "tpm", "max_parallel", "budget_tokens", "budget_period"] as const;

/** No limit at all. */
export const NO_LIMITS: Readonly<Limits> = Object.freeze({
  rpm: null,
  tpm: null,
  max_parallel: null,
  budget_tokens: null,
  budget_period: null,
});

/** Whether any limit is set. */
export function hasLimits(limits: Limits | null | undefined): boolean {
  return !!limits && LIMIT_FIELDS.some((f) => limits[f] !== null);
}

/** How `GET /api/usage` groups. */
export type UsageGroupBy = "key" | "user" | "model";

/** One group in one bucket of `GET /api/usage`. */
export interface UsageBucketItem {
  /** The key id, user id or model name; null for requests without one. */
  group: number | string | null;
  /** The bucket's first day (`YYYY-MM-DD`, manager's time zone). */
  bucket: string;
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  errors: number;
  /** Refused for a limit (`rate_limited`). */
  rate_limited: number;
  /** Median time to the first token of the rows still kept; null when none. */
  median_ttft_ms: number | null;
}

/** A token budget and how much of its current period is used. */
export interface BudgetUse {
  tokens: number;
  period: BudgetPeriod;
  used: number;
  /** Used, in percent of the budget (may pass 100 by the last request's overshoot). */
  percent: number;
  /** When the period ends (ISO). */
  resets_at: string;
}

/** One group of `GET /api/usage`, summed over every bucket. */
export interface UsageGroupItem extends Omit<UsageBucketItem, "bucket"> {
  /** A name to show: the key's name, the user's email, the model. */
  label: string;
  /** The group's owner's email (keys, for admins). */
  owner?: string | null;
  /** The key's or user's budget now; null when it has none (or the group is a model). */
  budget: BudgetUse | null;
}

/** The answer of `GET /api/usage`. */
export interface UsageReport {
  group_by: UsageGroupBy;
  period: BudgetPeriod;
  /** The first day counted (`YYYY-MM-DD`). */
  since: string;
  /** The first day of the current period (`YYYY-MM-DD`): the last bucket. */
  until: string;
  time_zone: string;
  buckets: UsageBucketItem[];
  groups: UsageGroupItem[];
}
