/**
 * Validation at the boundary: request bodies and queries go through a zod
 * schema once, and failures become a 422 with a message per field.
 *
 * @module
 */
import type { Context } from "hono";
import { z } from "zod";
import { HttpError } from "./errors.ts";

/** The largest JSON body accepted, in bytes. */
export const MAX_JSON_BYTES = 25 * 1024 * 1024;

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

/**
 * Reads the JSON body of a request and validates it with `schema`.
 *
 * Answers 415 when the body is not JSON, 400 when it cannot be parsed, 413 when
 * it is too large and 422 when a field is invalid.
 */
export async function readJson<T extends z.ZodType>(
  c: Context,
  schema: T,
): Promise<z.output<T>> {
  const type = c.req.header("content-type")?.split(";")[0].trim().toLowerCase() ?? "";
  if (!/^application\/([\w.-]+\+)?json$/.test(type)) {
    throw new HttpError(
      415,
      "Cannot read body: send JSON with Content-Type: application/json",
    );
  }
  const length = Number(c.req.header("content-length") ?? 0);
  if (length > MAX_JSON_BYTES) {
    throw new HttpError(413, "Cannot read body: it is larger than 25 MB");
  }
  let value: unknown;
  try {
    value = await c.req.json();
  } catch (error) {
    // A body over its route's limit fails the read with its own 413.
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, "Cannot read body: it is not valid JSON");
  }
  return parseWith(schema, value);
}

/** Validates the query string of a request with `schema`. */
export function readQuery<T extends z.ZodType>(
  c: Context,
  schema: T,
): z.output<T> {
  return parseWith(schema, c.req.query());
}

/**
 * Parses a positive integer path parameter, or throws a 404 naming the thing.
 *
 * @example
 * ```ts
 * const id = idParam(c, "id", "Profile"); // "abc" → HttpError(404, "Profile not found")
 * ```
 */
export function idParam(c: Context, name: string, thing: string): number {
  const raw = c.req.param(name) ?? "";
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
  if (id <= 0) throw new HttpError(404, `${thing} not found`);
  return id;
}
