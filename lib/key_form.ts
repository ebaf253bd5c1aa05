/**
 * The API key form's fields, as text, and the API body they stand for.
 * Pure, browser-safe.
 *
 * @module
 */
import { commaList } from "./format.ts";

/** The key form's fields. */
export interface KeyFormValues {
  name: string;
  /** Days until the key expires; empty: never. */
  days: string;
  /** Comma-separated model names; empty: every model. */
  models: string;
}

/** The empty form. */
export const EMPTY_KEY_FORM: KeyFormValues = { name: "", days: "", models: "" };

/** The labels of the fields, by draft key. */
export const KEY_FORM_LABELS: Readonly<Record<keyof KeyFormValues, string>> = {
  name: "Name",
  days: "Expires after (days)",
  models: "Only these models",
};

/** API field names that the form calls otherwise. */
export const KEY_FORM_RENAME = { expires_at: "days" } as const;

/**
 * The body of `POST /api/keys` for the form's values, at time `now`.
 *
 * @example
 * ```ts
 * keyBody({ name: "Editor", days: "1", models: "qwen, " }, Date.parse("2026-01-01T00:00:00Z"));
 * // { name: "Editor", expires_at: "2026-01-02T00:00:00.000Z", models: ["qwen"] }
 * ```
 */
export function keyBody(values: KeyFormValues, now: number): Record<string, unknown> {
  const days = Number(values.days);
  const models = commaList(values.models);
  return {
    name: values.name,
    expires_at: days > 0 ? new Date(now + days * 86_400_000).toISOString() : null,
    models: models.length ? models : null,
  };
}
