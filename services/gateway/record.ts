/**
 * The activity row of one `/v1` request, filled in as the request goes, and
 * written once when it ends: with the answer's status and why it ended.
 *
 * @module
 */
import type { Logger } from "../../lib/logger.ts";
import type { Outcome } from "../../db/activity.ts";
import type { ActivityLog, ActivityRow } from "./activity.ts";
import { type GatewayError, isRefusalCode, type Refusal, REFUSALS } from "./errors.ts";
import { errorResponse } from "./headers.ts";

/** Milliseconds to two decimals. */
export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** The outcome a refusal of the gateway is recorded with: refused credentials, else its catalogue entry's. */
export function outcomeOf(error: GatewayError): Outcome {
  if (error.kind === "unauthenticated") return "rejected_auth";
  const entry: Refusal | null = isRefusalCode(error.code) ? REFUSALS[error.code] : null;
  return entry?.outcome ?? "rejected";
}

/**
 * One request's record.
 *
 * @example
 * ```ts
 * const record = new RequestRecord("/v1/chat/completions", { activity, logger });
 * record.row.model = "qwen";
 * return record.refuse(modelNotFound("qwen"));
 * ```
 */
export class RequestRecord {
  /** When the request was received (`performance.now()`). */
  readonly t0 = performance.now();
  readonly row: ActivityRow;
  readonly #deps: { activity: ActivityLog; logger: Logger };
  /** Called with the complete row just before it is written (the limits settle their count on it). */
  onFinish: ((row: ActivityRow) => void) | null = null;

  /** `endpoint` is the path the row names (a bridge's own, e.g. `/v1/messages`). */
  constructor(endpoint: string, deps: { activity: ActivityLog; logger: Logger }) {
    this.#deps = deps;
    this.row = {
      id: `req_${crypto.randomUUID().replaceAll("-", "")}`,
      created_at: new Date().toISOString(),
      user_id: null,
      key_id: null,
      endpoint,
      model: null,
      profile_id: null,
      upstream: null,
      stream: false,
      status: 0,
      outcome: "ok",
      prompt_tokens: null,
      completion_tokens: null,
      tokens_estimated: false,
      ttft_ms: null,
      tokens_per_second: null,
      duration_ms: 0,
      queue_ms: null,
      cold_start: false,
    };
  }

  /** The request id, also sent as `x-request-id`. */
  get id(): string {
    return this.row.id;
  }

  /** Writes the row (a failure to write is logged, never answered). */
  finish(status: number, outcome: Outcome): void {
    this.row.status = status;
    this.row.outcome = outcome;
    this.row.duration_ms = round(performance.now() - this.t0);
    this.onFinish?.(this.row);
    try {
      this.#deps.activity.record(this.row);
    } catch (error) {
      this.#deps.logger.error("Cannot record a request", { error: String(error) });
    }
  }

  /** Writes the row for a refusal and answers it in OpenAI's shape. */
  refuse(error: GatewayError, outcome?: Outcome): Response {
    this.finish(error.status, outcome ?? outcomeOf(error));
    return errorResponse(error, this.id);
  }
}
