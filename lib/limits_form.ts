/**
 * The limits form's fields, as text, the API's `limits` they stand for, and
 * the short summary tables show. Pure, browser-safe.
 *
 * @module
 */
import { type BudgetPeriod, LIMIT_FIELDS, type Limits } from "./limit_types.ts";

/** The limits form's fields; empty = no limit. */
export interface LimitsFormValues {
  rpm: string;
  tpm: string;
  max_parallel: string;
  budget_tokens: string;
  /** `""` until a budget is set. */
  budget_period: string;
}

/** The labels of the fields. */
export const LIMITS_FORM_LABELS: Readonly<Record<keyof LimitsFormValues, string>> = {
  rpm: "Requests a minute",
  tpm: "Tokens a minute",
  max_parallel: "Requests at once",
  budget_tokens: "Token budget",
  budget_period: "Budget period",
};

/** The API's field names (`limits.rpm`) as the form calls them. */
export const LIMITS_FORM_RENAME: Readonly<Record<string, keyof LimitsFormValues>> = Object.fromEntries(
  LIMIT_FIELDS.map((f) => [`limits.${f}`, f]),
);

/** The form showing `limits` (nothing set: every field empty). */
export function limitsValues(limits: Limits | null | undefined): LimitsFormValues {
  const text = (n: number | null | undefined) => n === null || n === undefined ? "" : String(n);
  return {
    rpm: text(limits?.rpm),
    tpm: text(limits?.tpm),
    max_parallel: text(limits?.max_parallel),
    budget_tokens: text(limits?.budget_tokens),
    budget_period: limits?.budget_period ?? "",
  };
}

/**
 * The API's `limits` for the form's values: an empty field is no limit, and a
 * budget without a period counts a day. Numbers are sent as typed, so the
 * server says what is wrong with them.
 *
 * @example
 * ```ts
 * limitsBody({ rpm: "10", tpm: "", max_parallel: "", budget_tokens: "5000", budget_period: "" });
 * // { rpm: 10, tpm: null, max_parallel: null, budget_tokens: 5000, budget_period: "day" }
 * ```
 */
export function limitsBody(values: LimitsFormValues): Limits {
  const number = (text: string) => text.trim() === "" ? null : Number(text.trim());
  const budget = number(values.budget_tokens);
  return {
    rpm: number(values.rpm),
    tpm: number(values.tpm),
    max_parallel: number(values.max_parallel),
    budget_tokens: budget,
    budget_period: budget === null ? null : (values.budget_period || "day") as BudgetPeriod,
  };
}

function short(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`;
  return String(n);
}

/**
 * The limits in a few words, or `null` when there are none.
 *
 * @example
 * ```ts
 * limitsSummary({ rpm: 10, tpm: null, max_parallel: 2, budget_tokens: 50000, budget_period: "week" });
 * // "10 rpm · 2 at once · 50k tokens/week"
 * ```
 */
export function limitsSummary(limits: Limits | null | undefined): string | null {
  if (!limits) return null;
  const parts: string[] = [];
  if (limits.rpm !== null) parts.push(`${short(limits.rpm)} rpm`);
  if (limits.tpm !== null) parts.push(`${short(limits.tpm)} tpm`);
  if (limits.max_parallel !== null) parts.push(`${limits.max_parallel} at once`);
  if (limits.budget_tokens !== null) {
    parts.push(`${short(limits.budget_tokens)} tokens/${limits.budget_period}`);
  }
  return parts.length ? parts.join(" · ") : null;
}
