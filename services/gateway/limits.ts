/**
 * The gateway's side of the limits: one request's decision (after the caller
 * and the body are known, before anything starts), its refusal in OpenAI's
 * shape, the `x-ratelimit-*` headers of every answer to a limited caller, and
 * the settling of its tokens once the activity row is complete.
 *
 * @module
 */
import type { Decision, Limits, RateFigures, Refusal } from "../limits/mod.ts";
import { rateHeaders } from "../limits/admission.ts";
import type { ActivityRow } from "./activity.ts";
import type { Caller } from "./auth.ts";
import type { ParsedBody } from "./body.ts";
import { budgetExceeded, type GatewayError, rateLimitExceeded } from "./errors.ts";

/** One request's admission. */
export interface Admission {
  /** The answer to give instead of serving the request, or null when it may go. */
  refusal: GatewayError | null;
  /** The `x-ratelimit-*` headers of every answer to this request (none for an unlimited caller). */
  headers: Readonly<Record<string, string>>;
  /** Adds {@link Admission.headers} to an answer. */
  apply(response: Response): Response;
  /** Ends the request with the tokens of its row, filling in the estimate when the answer had no usage. */
  settle(row: ActivityRow): void;
}

const FREE: Admission = { refusal: null, headers: {}, apply: (r) => r, settle: () => {} };

/** A prompt's tokens, roughly: a quarter of a JSON body's bytes; a form's files are not tokens. */
export function estimatePrompt(parsed: ParsedBody): number {
  return parsed.json ? Math.ceil(parsed.raw.byteLength / 4) : 0;
}

/**
 * Checks `caller`'s key and user limits for one request and counts it.
 *
 * @example
 * ```ts
 * const admission = admit(limits, caller, parsed);
 * if (admission.refusal) return admission.apply(record.refuse(admission.refusal, "rate_limited"));
 * ```
 */
export function admit(limits: Limits | undefined, caller: Caller, parsed: ParsedBody): Admission {
  if (!limits) return FREE;
  const estimate = estimatePrompt(parsed);
  const decision: Decision = limits.check(caller, estimate);
  if (decision.kind === "unlimited") return FREE;
  const headers = rateHeaders(decision.figures);
  const apply = (response: Response) => {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  };
  if (decision.kind === "refused") {
    return { refusal: refusalError(decision.refusal, decision.figures), headers, apply, settle: () => {} };
  }
  const { reservation } = decision;
  let settled = false;
  return {
    refusal: null,
    headers,
    apply,
    settle(row) {
      if (settled) return;
      settled = true;
      if (row.status < 400 && row.prompt_tokens === null && row.completion_tokens === null && estimate > 0) {
        row.prompt_tokens = estimate;
        row.completion_tokens = 0;
        row.tokens_estimated = true;
      }
      limits.settle(reservation, (row.prompt_tokens ?? 0) + (row.completion_tokens ?? 0));
    },
  };
}

/** The 429 of a refusal, with the headers of the figures. */
export function refusalError(refusal: Refusal, figures: RateFigures): GatewayError {
  const { limit, subject } = refusal;
  const who = subject.kind === "key" ? "this API key" : "your account";
  const headers = rateHeaders(figures);
  const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
  const l = subject.limits;
  if (limit === "budget") {
    return budgetExceeded(
      `The token budget of ${who} (${l.budget_tokens} tokens a ${l.budget_period}) is spent; it renews at ${
        new Date(refusal.resetsAt!).toISOString()
      }`,
      new Date(refusal.resetsAt!),
      headers,
    );
  }
  const what = limit === "rpm"
    ? `${l.rpm} requests a minute`
    : limit === "tpm"
    ? `${l.tpm} tokens a minute`
    : `${l.max_parallel} requests at once`;
  const when = limit === "max_parallel" ? "wait for one to end" : `try again in ${seconds} s`;
  return rateLimitExceeded(`Rate limit reached for ${who}: ${what}; ${when}`, seconds, headers);
}
