/**
 * Hub failures as {@link AppError}s a person can act on: the hub's own
 * reason, plus what to do about it.
 *
 * @module
 */
import { AppError } from "../../lib/errors.ts";

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
 * Builds the {@link AppError} for a hub answer with `status` about `subject`.
 * 401/403 mean a gated or private repository: `forbidden`, never
 * `unauthenticated` (which would sign the user out of this app).
 *
 * @example
 * ```ts
 * throw hubStatusError(403, "Access to model org/x is restricted", "org/x", "https://huggingface.co", false);
 * // AppError "forbidden", reason "gated", with how to get access
 * ```
 */
export function hubStatusError(
  status: number,
  reason: string,
  subject: string,
  endpoint: string,
  hasToken: boolean,
): AppError {
  const clean = reason.replace(/\s*URL: \S+.*$/s, "").replace(/\.$/, "");
  // Without a token the hub answers 401 for unknown repositories too, so the reason decides.
  if (status === 404 || /repository not found/i.test(clean)) {
    return new AppError("not_found", `${subject} was not found on Hugging Face (${clean}): check the name`);
  }
  if (status === 401 || status === 403) {
    const hint = hasToken
      ? `accept its licence at ${endpoint}/${subject} with the account of HF_TOKEN`
      : `accept its licence at ${endpoint}/${subject}, then set HF_TOKEN and restart MLX Manager`;
    return new AppError("forbidden", `${subject} is gated or private: ${clean}. To download it, ${hint}`, {
      reason: "gated",
    });
  }
  if (status === 429) {
    return new AppError("unavailable", "Hugging Face is limiting requests: try again in a minute", {
      reason: "rate_limited",
      retryAfter: 60,
    });
  }
  return new AppError("upstream", `Hugging Face answered ${status} for ${subject}: ${clean}`, {
    reason: "hub_error",
  });
}
