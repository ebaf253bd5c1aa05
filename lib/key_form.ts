/**
 * The API key form's fields, as text, and the API body they stand for.
 * Pure, browser-safe.
 *
 * @module
 */
import { commaList } from "./format.ts";
import { hasLimits } from "./limit_types.ts";
import {
  LIMITS_FORM_LABELS,
  LIMITS_FORM_RENAME,
  limitsBody,
  type LimitsFormValues,
  limitsValues,
} from "./limits_form.ts";

/** The key form's fields, its limits included. */
export interface KeyFormValues extends LimitsFormValues {
  name: string;
  /** Days until the key expires; empty: never. */
  days: string;
  /** Comma-separated model names; empty: every model. */
  models: string;
}

/** The empty form. */
export const EMPTY_KEY_FORM: KeyFormValues = { name: "", days: "", models: "", ...limitsValues(null) };

/** The labels of the fields, by draft key. */
export const KEY_FORM_LABELS: Readonly<Record<keyof KeyFormValues, string>> = {
  name: "Name",
  days: "Expires after (days)",
  models: "Only these models",
  ...LIMITS_FORM_LABELS,
};

/** API field names that the form calls otherwise. */
export const KEY_FORM_RENAME = { expires_at: "days", ...LIMITS_FORM_RENAME } as const;

/**
 * The body of `POST /api/keys` for the form's values, at time `now`.
 *
 * @example
 * ```ts
 * keyBody({ ...EMPTY_KEY_FORM, name: "Editor", days: "1", models: "qwen, " }, Date.parse("2026-01-01T00:00:00Z"));
 * // { name: "Editor", expires_at: "2026-01-02T00:00:00.000Z", models: ["qwen"] }
 * // (with `limits` only when one is set)
 * ```
 */
export function keyBody(values: KeyFormValues, now: number): Record<string, unknown> {
  const days = Number(values.days);
  const models = commaList(values.models);
  const limits = limitsBody(values);
  return {
    name: values.name,
    expires_at: days > 0 ? new Date(now + days * 86_400_000).toISOString() : null,
    models: models.length ? models : null,
    ...(hasLimits(limits) ? { limits } : {}),
  };
}
