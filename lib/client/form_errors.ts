/**
 * The line above a form that names every field with a problem by its label,
 * so a person sees all of them at once and knows where to look. Browser-safe.
 *
 * @module
 */

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
