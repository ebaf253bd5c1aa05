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
 * `code` is the hub's `X-Error-Code` (`RepoNotFound`, `GatedRepo`, …), which
 * decides over the status: without a token the hub answers 401 "Invalid
 * username or password." for a repository that does not exist, so a 401 is
 * called gated only when the hub says the repository is gated. A refusal is
 * `forbidden`, never `unauthenticated` (which would sign the user out of this app).
 *
 * @example
 * ```ts
 * hubStatusError(401, "Invalid username or password.", "org/typo", "https://huggingface.co", false, "RepoNotFound");
 * // AppError "not_found": "org/typo was not found on Hugging Face: check the name…"
 * throw hubStatusError(403, "Access to model org/x is restricted", "org/x", "https://huggingface.co", false, "GatedRepo");
 * // AppError "forbidden", reason "gated", with how to get access
 * ```
 */
export function hubStatusError(
  status: number,
  reason: string,
  subject: string,
  endpoint: string,
  hasToken: boolean,
  code: string | null = null,
): AppError {
  const clean = reason.replace(/\s*URL: \S+.*$/s, "").replace(/\.$/, "");
  if (code === "EntryNotFound" || code === "RevisionNotFound") {
    return new AppError("not_found", `Hugging Face has no such file or revision in ${subject}: ${clean}`);
  }
  // Without a code, the hub's words decide.
  const gated = code === "GatedRepo" || (code === null && /\b(gated|restricted)\b/i.test(clean));
  const missing = code === "RepoNotFound" ||
    (code === null && (status === 404 || /repository not found/i.test(clean)));
  if (missing && !gated) {
    // Signed out, the hub shows a private repository as missing too: say how to be sure, not that it is one.
    const hint = status === 401 && !hasToken
      ? ". If it is a private repository of yours, set HF_TOKEN and restart MLX Manager"
      : "";
    return new AppError("not_found", `${subject} was not found on Hugging Face: check the name${hint}`);
  }
  if (gated) {
    const hint = hasToken
      ? `accept its licence at ${endpoint}/${subject} with the account of HF_TOKEN`
      : `accept its licence at ${endpoint}/${subject}, then set HF_TOKEN and restart MLX Manager`;
    return new AppError("forbidden", `${subject} is gated or private: ${clean}. To download it, ${hint}`, {
      reason: "gated",
    });
  }
  if (status === 401 || status === 403) {
    const who = status === 401 && hasToken ? "the token in HF_TOKEN" : "access";
    return new AppError("forbidden", `Hugging Face refused ${who} for ${subject}: ${clean}`, {
      reason: "hub_refused",
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
