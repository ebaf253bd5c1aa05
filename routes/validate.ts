/**
 * Reading a request at the boundary: its JSON body, its query string and its
 * id parameters, each validated once (see `lib/validate.ts`).
 *
 * @module
 */
import type { Context } from "hono";
import type { z } from "zod";
import { HttpError } from "../lib/errors.ts";
import { parseWith } from "../lib/validate.ts";

/**
 * Reads the JSON body of a request and validates it with `schema`.
 *
 * Answers 415 when the body is not JSON, 400 when it cannot be parsed and 422
 * when a field is invalid; a body over its route's limit fails the read with
 * the body-limit middleware's 413.
 *
 * @example
 * ```ts
 * const input = await readJson(c, UpstreamInput);
 * ```
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

/**
 * Validates the query string of a request with `schema`.
 *
 * @example
 * ```ts
 * const { limit } = readQuery(c, z.object({ limit: z.coerce.number().default(50) }));
 * ```
 */
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
