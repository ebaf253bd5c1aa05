/**
 * Validation at the boundary: a value goes through a zod schema once, and a
 * failure becomes a 422 with a message per field.
 *
 * @module
 */
import type { z } from "zod";
import { HttpError } from "./errors.ts";

function fieldName(path: PropertyKey[]): string {
  return path.map(String).join(".") || "body";
}

/**
 * Parses `input` with `schema`, or throws a 422 {@link HttpError} naming each bad field.
 *
 * @example
 * ```ts
 * const input = parseWith(z.object({ port: z.number() }), { port: "x" });
 * // throws HttpError(422, "port: Invalid input: expected number, received string")
 * ```
 */
export function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const name = fieldName(issue.path);
    fields[name] ??= issue.message;
  }
  const detail = Object.entries(fields).map((
    [k, v],
  ) => (k === "body" ? v : `${k}: ${v}`)).join("; ");
  throw new HttpError(422, detail, { fields });
}
