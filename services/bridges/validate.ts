/**
 * Reading a bridged request body with a zod schema: the first problems, each
 * named by its path (`messages.0.content: …`), as one 400 in OpenAI's shape
 * that each bridge then answers in its own protocol's shape.
 *
 * @module
 */
import type { z } from "zod";
import { badRequest } from "../gateway/errors.ts";

/**
 * The body as `schema` reads it.
 *
 * @throws {GatewayError} 400 `invalid_request` naming what is wrong
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const param = result.error.issues[0]?.path.map(String).join(".") || null;
  throw badRequest("invalid_request", issues.join("; "), param);
}

/** A text made of a protocol's text blocks (joined with a blank line). */
export function joinTexts(texts: readonly string[]): string {
  return texts.filter((t) => t !== "").join("\n\n");
}
