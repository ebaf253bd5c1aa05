/**
 * A model server's error answer in OpenAI's shape: its status kept (a 422
 * validation list becomes a 400), its body read by the one reader of error
 * bodies (`services/platform/upstream_error.ts`) and its message kept.
 *
 * @module
 */
import { readUpstreamError } from "../platform/upstream_error.ts";
import type { OpenAiErrorBody } from "./errors.ts";

/**
 * Puts a model server's error body into OpenAI's shape, keeping its message:
 * `{"detail":{"error":E}}` → `{"error":E}`; 422 `{"detail":[…]}` → 400
 * `invalid_request` with `param` from `loc`; `{"detail":"Not Found"}` → a
 * message; the server's `rate_limit_exceeded` type on 429 → `rate_limit_error`.
 *
 * @example
 * ```ts
 * normalizeUpstreamError(422, '{"detail":[{"loc":["body","messages",0,"role"],"msg":"bad"}]}');
 * // { status: 400, body: { error: { message: "messages[0].role: bad", type: "invalid_request_error", param: "messages[0].role", code: "invalid_request" } } }
 * ```
 */
export function normalizeUpstreamError(
  status: number,
  raw: string,
): { status: number; body: OpenAiErrorBody } {
  const read = readUpstreamError(raw);
  const fallbackType = status === 429
    ? "rate_limit_error"
    : status >= 500
    ? "server_error"
    : "invalid_request_error";
  if (read.shape === "validation") {
    return {
      status: status === 422 ? 400 : status,
      body: {
        error: {
          message: read.message || "Invalid request",
          type: "invalid_request_error",
          param: read.param,
          code: "invalid_request",
        },
      },
    };
  }
  if (read.shape === "error") {
    const type = read.type === "rate_limit_exceeded" && status === 429
      ? "rate_limit_error"
      : read.type ?? fallbackType;
    return {
      status,
      body: {
        error: {
          message: read.message || `The model server answered HTTP ${status}`,
          type,
          param: read.param,
          code: read.code,
        },
      },
    };
  }
  return {
    status,
    body: {
      error: {
        message: `The model server answered HTTP ${status}: ${read.message || `HTTP ${status}`}`,
        type: fallbackType,
        param: null,
        code: status === 404 ? "unsupported_endpoint" : String(status),
      },
    },
  };
}
