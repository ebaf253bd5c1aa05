/**
 * The gateway's errors in Anthropic's shape,
 * `{"type":"error","error":{"type","message"},"request_id"}`: one table from
 * the gateway's error codes to Anthropic's status and type, and the HTTP
 * status's own type for every other code.
 *
 * @module
 */

/** Anthropic's status and error type for a gateway error code. */
const BY_CODE: Record<string, { status: number; type: string }> = {
  invalid_api_key: { status: 401, type: "authentication_error" },
  account_disabled: { status: 401, type: "authentication_error" },
  api_key_revoked: { status: 401, type: "authentication_error" },
  forbidden_origin: { status: 403, type: "permission_error" },
  model_not_allowed: { status: 403, type: "permission_error" },
  model_not_found: { status: 404, type: "not_found_error" },
  not_found: { status: 404, type: "not_found_error" },
  unsupported_endpoint: { status: 404, type: "not_found_error" },
  request_too_large: { status: 413, type: "request_too_large" },
  rate_limit_exceeded: { status: 429, type: "rate_limit_error" },
  budget_exceeded: { status: 429, type: "rate_limit_error" },
  too_many_failed_credentials: { status: 429, type: "rate_limit_error" },
  response_not_found: { status: 404, type: "not_found_error" },
  // A full queue is Anthropic's "overloaded": the official client waits and retries.
  queue_full: { status: 529, type: "overloaded_error" },
  queue_timeout: { status: 529, type: "overloaded_error" },
  model_loading: { status: 529, type: "overloaded_error" },
  model_unloaded: { status: 529, type: "overloaded_error" },
  insufficient_memory_busy: { status: 529, type: "overloaded_error" },
  upstream_unavailable: { status: 529, type: "overloaded_error" },
  shutting_down: { status: 529, type: "overloaded_error" },
};

/** Anthropic's error type for an HTTP status. */
function typeOfStatus(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 413) return "request_too_large";
  if (status === 429) return "rate_limit_error";
  if (status === 529) return "overloaded_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

/** Anthropic's status and error type for a gateway error (its status and code). */
export function anthropicError(status: number, code: string | null): { status: number; type: string } {
  const known = code ? BY_CODE[code] : undefined;
  return known ?? { status, type: typeOfStatus(status) };
}

/** Anthropic's error type for a gateway error. */
export function errorTypeFor(status: number, code: string | null): string {
  return anthropicError(status, code).type;
}

/** Anthropic's error body. */
export function anthropicErrorBody(
  type: string,
  message: string,
  requestId?: string,
): Record<string, unknown> {
  return { type: "error", error: { type, message }, ...(requestId ? { request_id: requestId } : {}) };
}
