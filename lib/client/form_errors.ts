/**
 * How every form shows what is wrong, as pure functions (browser-safe):
 * each field's problem under that field, and one line above the form that
 * says what is wrong as a whole. That line is the server's sentence (an
 * unknown model, a taken name, an unreachable manager), or, when the answer
 * only lists field problems (a 422), "Check Port and Model path", naming the
 * fields by their labels. A field's problem goes as soon as the field is
 * edited; the line above goes with the last of them.
 *
 * @module
 */
import { ApiError, errorMessage } from "./api.ts";

/** What a form shows as wrong: problems by field name, and the line above the form. */
export interface FormErrors {
  /** Field name → its problem. */
  fields: Readonly<Record<string, string>>;
  /** The server's sentence; null when the field problems say it all. */
  message: string | null;
}

/** A form with nothing wrong. */
export const NO_ERRORS: FormErrors = Object.freeze({ fields: Object.freeze({}), message: null });

/**
 * "Check Port and Model path", from the field errors of an answer (keys are
 * field names) and a function giving each field's label; `null` when no
 * field has an error.
 *
 * @example
 * ```ts
 * fieldsSummary({ port: "In use", model_path: "Required" }, (n) => ({ port: "Port", model_path: "Model path" })[n]);
 * // "Check Port and Model path"
 * ```
 */
export function fieldsSummary(
  errors: Record<string, string>,
  labelOf: (name: string) => string | undefined,
): string | null {
  const labels = Object.keys(errors).map((name) => labelOf(name) ?? name);
  if (labels.length === 0) return null;
  const list = labels.length === 1
    ? labels[0]
    : `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
  return `Check ${list}`;
}

/**
 * The errors to show for a failed submit. `rename` maps the API's field names
 * onto the form's own where they differ (`expires_at` → `days`).
 *
 * @example
 * ```ts
 * formErrors(new ApiError(409, 'A server named "x" already exists', { name: "Already taken" }));
 * // { fields: { name: "Already taken" }, message: 'A server named "x" already exists' }
 * formErrors(new ApiError(422, "port: Too small", { port: "Too small" }));
 * // { fields: { port: "Too small" }, message: null }
 * ```
 */
export function formErrors(error: unknown, rename: Readonly<Record<string, string>> = {}): FormErrors {
  if (!(error instanceof ApiError) || Object.keys(error.fields).length === 0) {
    return { fields: {}, message: errorMessage(error) };
  }
  const fields = Object.fromEntries(
    Object.entries(error.fields).map(([name, problem]) => [rename[name] ?? name, problem]),
  );
  // A 422's message restates the field problems with their API names; the summary says it better.
  return { fields, message: error.status === 422 ? null : error.message };
}

/**
 * The errors once `name` has been edited: its problem goes, and the line
 * above goes with the last field problem.
 *
 * @example
 * ```ts
 * clearField({ fields: { name: "Taken" }, message: "Name taken" }, "name"); // NO_ERRORS
 * ```
 */
export function clearField(errors: FormErrors, name: string): FormErrors {
  if (!(name in errors.fields)) return errors;
  const { [name]: _, ...fields } = errors.fields;
  return Object.keys(fields).length === 0 ? NO_ERRORS : { fields, message: errors.message };
}

/**
 * The line above the form: the message, else the summary of the field problems.
 *
 * @example
 * ```ts
 * alertText({ fields: { port: "x" }, message: null }, (n) => ({ port: "Port" })[n]); // "Check Port"
 * ```
 */
export function alertText(errors: FormErrors, labelOf: (name: string) => string | undefined): string | null {
  return errors.message ?? fieldsSummary(errors.fields, labelOf);
}
