/**
 * The profile form's side of the field declarations: the form values of a
 * stored profile, the request body of form values, each field's hint, and
 * which fields the form shows for the installed server. Browser-safe: pure
 * functions only.
 *
 * @module
 */
import {
  fieldSpec,
  PROFILE_DEFAULTS,
  PROFILE_FIELD_NAMES,
  type ProfileFieldName,
  type ProfileFieldValues,
  type ProfileFormValues,
} from "./profile_fields.ts";
import type { ServerFeatures } from "./server_features.ts";

/** The text a form shows for a stored value. */
function toText(value: string | number | string[] | number[] | null): string {
  if (value === null) return "";
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/**
 * The form values of stored fields (a profile, or the defaults with the
 * required fields empty); `overrides` replaces defaults (a new profile's
 * concurrency on a batching server).
 *
 * @example
 * ```ts
 * formValues({ ...PROFILE_DEFAULTS, name: "Qwen3" }).max_concurrency; // "1"
 * ```
 */
export function formValues(fields: Partial<ProfileFieldValues>): ProfileFormValues {
  const out: Record<string, string | boolean> = {};
  for (const name of PROFILE_FIELD_NAMES) {
    const value = fields[name] ?? (PROFILE_DEFAULTS as Partial<ProfileFieldValues>)[name] ?? null;
    out[name] = typeof value === "boolean"
      ? value
      : toText(value as string | number | string[] | number[] | null);
  }
  return out as ProfileFormValues;
}

/**
 * The request body for form values: numbers as numbers, lists split at commas
 * (number lists as numbers, anything else left as typed for the server to
 * refuse), empty optional fields as null (which clears them).
 *
 * @example
 * ```ts
 * formBody({ ...values, context_length: "", aliases: "a, b" }); // { …, context_length: null, aliases: ["a", "b"] }
 * ```
 */
export function formBody(values: ProfileFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of PROFILE_FIELD_NAMES) {
    const spec = fieldSpec(name);
    const value = values[name];
    if (typeof value === "boolean") {
      body[name] = value;
      continue;
    }
    const blank = value.trim() === "";
    if (spec.kind === "list") {
      const items = value.split(",").map((a) => a.trim()).filter((a) => a !== "");
      body[name] = spec.item === "number"
        ? items.map((i) => Number.isFinite(Number(i)) ? Number(i) : i)
        : items;
    } else if (spec.kind === "number") body[name] = blank ? null : Number(value.trim());
    else body[name] = blank && "default" in spec && spec.default === null ? null : value;
  }
  return body;
}

/**
 * A field's hint with its default in front, from the declaration itself, so
 * the form never restates a default.
 *
 * @example
 * ```ts
 * fieldHint("queue_size"); // "Default: 100 — Requests that may wait in MLX Manager's queue"
 * ```
 */
export function fieldHint(name: ProfileFieldName): string | undefined {
  const spec = fieldSpec(name);
  const fallback = spec.kind === "boolean" || spec.kind === "list" ? null : spec.default ?? null;
  const parts = [fallback === null ? null : `Default: ${fallback}`, spec.hint ?? null].filter((p) =>
    p !== null
  );
  return parts.length ? parts.join(fallback !== null && spec.hint ? " — " : "") : undefined;
}

/** Whether a form value differs from the field's default (a setting the user made). */
function isSet(name: ProfileFieldName, value: string | boolean): boolean {
  const spec = fieldSpec(name);
  if (typeof value === "boolean") return spec.kind === "boolean" && value !== spec.default;
  const fallback = "default" in spec ? spec.default : undefined;
  const text = Array.isArray(fallback) ? fallback.join(", ") : fallback == null ? "" : String(fallback);
  return value.trim() !== text;
}

/**
 * Whether the form shows a field: when the installed server takes it for the
 * chosen model type (every field while the server is not installed), and
 * always when it holds a setting, so a value the server cannot honour can be
 * seen and cleared.
 *
 * @example
 * ```ts
 * fieldShown("kv_bits", values, features151); // false: 1.5.1 has no --kv-bits
 * ```
 */
export function fieldShown(
  name: ProfileFieldName,
  values: ProfileFormValues,
  features: ServerFeatures,
): boolean {
  if (isSet(name, values[name])) return true;
  const types = fieldSpec(name).types;
  if (types && !types.includes(values.model_type)) return false;
  return features.fields === null || features.fields.includes(name);
}
