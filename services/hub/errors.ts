/**
 * Hub failures as {@link HttpError}s a person can act on: the hub's own
 * reason, plus what to do about it.
 *
 * @module
 */
import { HttpError } from "../../lib/errors.ts";

/**
 * The hub's own explanation from an error answer (header, JSON body or text).
 *
 * @example
 * ```ts
 * hubReason(401, response.headers, await response.json()); // the X-Error-Message header, else the JSON error
 * ```
 */
export function hubReason(status: number, headers: Headers, body: unknown): string {
  const header = headers.get("x-error-message");
  if (header) return header;
  const data = body as { error?: unknown; message?: unknown } | null;
  const text = typeof data?.error === "string"
    ? data.error
    : typeof data?.message === "string"
    ? data.message
    : "";
  return text || `HTTP ${status}`;
}

/**
 * Builds the {@link HttpError} for a hub answer with `status` about `subject`.
 * 401/403 mean a gated or private repository: answered with 403 (a 401 would
 * sign the user out of this app).
 *
 * @example
 * ```ts
 * throw hubStatusError(403, "Access to model org/x is restricted", "org/x", "https://huggingface.co", false);
 * // HttpError 403, code "gated", with how to get access
 * ```
 */
export function hubStatusError(
  status: number,
  reason: string,
  subject: string,
  endpoint: string,
  hasToken: boolean,
): HttpError {
  const clean = reason.replace(/\s*URL: \S+.*$/s, "").replace(/\.$/, "");
  // Without a token the hub answers 401 for unknown repositories too, so the reason decides.
  if (status === 404 || /repository not found/i.test(clean)) {
    return new HttpError(404, `${subject} was not found on Hugging Face (${clean}): check the name`, {
      code: "not_found",
    });
  }
  if (status === 401 || status === 403) {
    const hint = hasToken
      ? `accept its licence at ${endpoint}/${subject} with the account of HF_TOKEN`
      : `accept its licence at ${endpoint}/${subject}, then set HF_TOKEN and restart MLX Manager`;
    return new HttpError(403, `${subject} is gated or private: ${clean}. To download it, ${hint}`, {
      code: "gated",
    });
  }
  if (status === 429) {
    return new HttpError(503, "Hugging Face is limiting requests: try again in a minute", {
      code: "rate_limited",
      headers: { "Retry-After": "60" },
    });
  }
  return new HttpError(502, `Hugging Face answered ${status} for ${subject}: ${clean}`, {
    code: "hub_error",
  });
}
