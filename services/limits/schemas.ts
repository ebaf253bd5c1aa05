/**
 * The `limits` object of the keys and users APIs, validated once at the
 * boundary, and the rule that a user's own key stays within the user's limits.
 *
 * @module
 */
import { z } from "zod";
import { BUDGET_PERIODS, type Limits } from "../../lib/limit_types.ts";

const count = (what: string) =>
  z.number({ error: `${what} must be a whole number or null` }).int(`${what} must be a whole number`)
    .min(1, `${what} must be at least 1 (null: no limit)`).max(1e12, `${what} is too large`).nullable()
    .optional();

/** `limits` in a request body: every field optional, null = no limit; the result has every field. */
export const LimitsInput = z.strictObject({
  rpm: count("rpm"),
  tpm: count("tpm"),
  max_parallel: count("max_parallel"),
  budget_tokens: count("budget_tokens"),
  budget_period: z.enum(BUDGET_PERIODS, {
    error: `budget_period must be one of ${BUDGET_PERIODS.join(", ")}`,
  })
    .nullable().optional(),
}, {
  error: (issue) =>
    issue.code === "unrecognized_keys"
      ? `Unknown limit: ${issue.keys.join(", ")}`
      : "limits must be an object",
}).transform((v): Limits => ({
  rpm: v.rpm ?? null,
  tpm: v.tpm ?? null,
  max_parallel: v.max_parallel ?? null,
  budget_tokens: v.budget_tokens ?? null,
  budget_period: v.budget_period ?? null,
})).superRefine((v, ctx) => {
  if ((v.budget_tokens === null) !== (v.budget_period === null)) {
    ctx.addIssue({
      code: "custom",
      path: [v.budget_tokens === null ? "budget_tokens" : "budget_period"],
      message: "A budget needs both budget_tokens and budget_period",
    });
  }
});

const NUMERIC = ["rpm", "tpm", "max_parallel", "budget_tokens"] as const;

/**
 * What is wrong with `limits` for a key of a user whose own limits are
 * `bound`: each limit the user has must not be raised by their key (a key
 * without that limit is still bound by the user's). Empty when nothing is.
 *
 * @example
 * ```ts
 * aboveBound({ ...NO_LIMITS, rpm: 100 }, { ...NO_LIMITS, rpm: 10 }); // { rpm: "At most 10 (your account's limit)" }
 * ```
 */
export function aboveBound(limits: Limits, bound: Limits): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of NUMERIC) {
    const max = bound[field];
    const value = limits[field];
    if (max !== null && value !== null && value > max) out[field] = `At most ${max} (your account's limit)`;
  }
  return out;
}
