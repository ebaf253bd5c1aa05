/**
 * The gateway's error catalogue: every refusal it makes, by code, with its
 * HTTP status, OpenAI's error `type` and whether a client should retry
 * ({@link REFUSALS}), and one factory per refusal. Nothing else chooses a
 * status: a {@link GatewayError} is built here from its entry. OpenAI's
 * shape, `{"error":{"message","type","param","code"}}`, is the gateway's
 * own; another protocol answers the same entries in its shape by their code.
 * Here too: the mapping of a service's {@link AppError} onto the catalogue.
 *
 * @module
 */
import type { Outcome } from "../../lib/gateway_types.ts";
import { withArticle } from "../../lib/format.ts";
import { AppError, type ErrorCode } from "../../lib/errors.ts";
import type { Cut } from "./passthrough.ts";

/** OpenAI's error object. */
export interface OpenAiErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** The body of every error answer under `/v1`. */
export interface OpenAiErrorBody {
  error: OpenAiErrorObject;
}

/** Options of a {@link GatewayError}. */
export interface GatewayErrorOptions {
  param?: string | null;
  headers?: Record<string, string>;
  cause?: unknown;
  /** The kind of failure in the app's own terms. @default the cause's code when it is an {@link AppError} */
  kind?: ErrorCode;
}

/**
 * A refusal on the wire of the OpenAI protocol: an HTTP status, OpenAI's
 * `type` and `code`, a message a person can act on, and the headers that make
 * the official client retry (`Retry-After`) or not (`x-should-retry: false`).
 * Built by the factories of this module, which take the status from {@link REFUSALS}.
 *
 * @example
 * ```ts
 * throw modelNotFound("x"); // a GatewayError with status 404 and code "model_not_found"
 * ```
 */
export class GatewayError extends Error {
  readonly param: string | null;
  readonly headers: Record<string, string>;
  /** The kind of failure in the app's own terms ({@link AppError}'s codes), when known. */
  readonly kind: ErrorCode | null;

  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    options: GatewayErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "GatewayError";
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
    this.kind = options.kind ?? (options.cause instanceof AppError ? options.cause.code : null);
  }

  /** The OpenAI error body. */
  body(): OpenAiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** One entry of the catalogue. */
export interface Refusal {
  status: number;
  /** OpenAI's error `type`. */
  type: "invalid_request_error" | "rate_limit_error" | "server_error";
  /**
   * `after`: `Retry-After` (the error's own seconds, else {@link Refusal.retryAfter});
   * `never`: `x-should-retry: false` unless the error gives seconds; absent: neither header.
   */
  retry?: "after" | "never";
  /** Seconds a client is told to wait when the error gives none. @default 1 */
  retryAfter?: number;
  /** How the activity row records it. @default "rejected" */
  outcome?: Outcome;
  /** The kind of failure in the app's own terms. */
  kind?: ErrorCode;
}

/** Every refusal of the gateway, by its code (the body's `code`). */
export const REFUSALS = {
  // The caller.
  invalid_api_key: { status: 401, type: "invalid_request_error", kind: "unauthenticated" },
  api_key_revoked: { status: 401, type: "invalid_request_error", kind: "unauthenticated" },
  forbidden_origin: { status: 403, type: "invalid_request_error", kind: "forbidden" },
  forbidden: { status: 403, type: "invalid_request_error", kind: "forbidden" },
  too_many_failed_credentials: {
    status: 429,
    type: "rate_limit_error",
    retry: "after",
    outcome: "rejected_auth",
    kind: "rate_limited",
  },
  // The request.
  invalid_json: { status: 400, type: "invalid_request_error" },
  invalid_request: { status: 400, type: "invalid_request_error" },
  missing_required_parameter: { status: 400, type: "invalid_request_error" },
  model_type_mismatch: { status: 400, type: "invalid_request_error" },
  request_too_large: { status: 413, type: "invalid_request_error" },
  model_not_found: { status: 404, type: "invalid_request_error", kind: "not_found" },
  model_not_allowed: { status: 403, type: "invalid_request_error", kind: "forbidden" },
  unsupported_endpoint: { status: 404, type: "invalid_request_error", kind: "not_found" },
  method_not_allowed: { status: 405, type: "invalid_request_error" },
  // Stored responses (`/v1/responses`).
  response_not_found: { status: 404, type: "invalid_request_error", kind: "not_found" },
  previous_response_not_found: { status: 400, type: "invalid_request_error", kind: "not_found" },
  client_closed: { status: 499, type: "invalid_request_error", outcome: "client_closed" },
  // A key's or user's limits.
  rate_limit_exceeded: {
    status: 429,
    type: "rate_limit_error",
    retry: "after",
    outcome: "rate_limited",
    kind: "rate_limited",
  },
  budget_exceeded: {
    status: 429,
    type: "rate_limit_error",
    retry: "never",
    outcome: "rate_limited",
    kind: "rate_limited",
  },
  // A local profile's server: admission and start.
  queue_full: { status: 429, type: "rate_limit_error", retry: "after", outcome: "queue_full" },
  queue_timeout: { status: 503, type: "server_error", retry: "after", outcome: "queue_timeout" },
  model_start_failed: { status: 503, type: "server_error", retry: "never", outcome: "model_start_failed" },
  model_exceeds_memory_budget: { status: 503, type: "server_error", retry: "never" },
  model_stopped: { status: 503, type: "server_error", retry: "never" },
  model_crashed: { status: 503, type: "server_error", retry: "never" },
  shutting_down: { status: 503, type: "server_error", retry: "after", retryAfter: 5, kind: "unavailable" },
  // The hop to the server that answers.
  upstream_unavailable: { status: 503, type: "server_error", retry: "after", outcome: "upstream_error" },
  upstream_timeout: { status: 504, type: "server_error", outcome: "upstream_error" },
  upstream_error: { status: 502, type: "server_error", outcome: "upstream_error" },
  upstream_crashed: { status: 502, type: "server_error", outcome: "upstream_crashed" },
  head_too_large: { status: 502, type: "server_error", outcome: "upstream_error" },
  upstream_auth_failed: { status: 502, type: "server_error", outcome: "upstream_error" },
  // A bug.
  internal_error: { status: 500, type: "server_error", kind: "internal" },
} as const satisfies Record<string, Refusal>;

/** The code of a catalogue entry. */
export type RefusalCode = keyof typeof REFUSALS;

/** Whether `code` names an entry of the catalogue. */
export function isRefusalCode(code: string): code is RefusalCode {
  return Object.hasOwn(REFUSALS, code);
}

/** Options of {@link refusal}. */
export interface RefusalOptions {
  param?: string | null;
  /** Seconds after which a retry may succeed (for entries that speak of retrying). */
  retryAfter?: number;
  headers?: Record<string, string>;
  cause?: unknown;
}

function retryAfterHeaders(seconds: number): Record<string, string> {
  const s = Math.min(60, Math.max(1, Math.ceil(seconds)));
  return { "Retry-After": String(s), "retry-after-ms": String(s * 1000) };
}

/**
 * The refusal `code` with its status, type and retry headers from the catalogue.
 *
 * @example
 * ```ts
 * refusal("queue_full", "The queue is full", { retryAfter: 2 }).status; // 429, with Retry-After: 2
 * ```
 */
export function refusal(code: RefusalCode, message: string, options: RefusalOptions = {}): GatewayError {
  const entry: Refusal = REFUSALS[code];
  const retry = entry.retry === "after" || (entry.retry === "never" && options.retryAfter !== undefined)
    ? retryAfterHeaders(options.retryAfter ?? entry.retryAfter ?? 1)
    : entry.retry === "never"
    ? { "x-should-retry": "false" }
    : {};
  return new GatewayError(entry.status, entry.type, code, message, {
    param: options.param,
    headers: { ...retry, ...options.headers },
    cause: options.cause,
    // A service's error says the kind itself.
    kind: options.cause instanceof AppError ? options.cause.code : entry.kind,
  });
}

/** A 400 with one of the catalogue's codes for a request that cannot be read. */
export function badRequest(
  code: "invalid_json" | "invalid_request" | "missing_required_parameter",
  message: string,
  param: string | null = null,
): GatewayError {
  return refusal(code, message, { param });
}

/** The 401 for a missing, wrong, revoked or expired key, or a key whose owner may not sign in. */
export function invalidApiKey(message: string): GatewayError {
  return refusal("invalid_api_key", message, {
    headers: { "WWW-Authenticate": 'Bearer realm="mlx-manager"' },
  });
}

/** The 403 for a session cookie sent by another site. */
export function forbiddenOrigin(): GatewayError {
  return refusal(
    "forbidden_origin",
    "Cross-site request refused: send an API key as a Bearer token instead of the session cookie",
  );
}

/** The 404 for a name no profile or upstream has. */
export function modelNotFound(model: string): GatewayError {
  return refusal(
    "model_not_found",
    `The model \`${model}\` does not exist. GET /v1/models lists the models you may use.`,
    { param: "model" },
  );
}

/** The 403 for a model the key's allow-list leaves out. */
export function modelNotAllowed(model: string): GatewayError {
  return refusal(
    "model_not_allowed",
    `This API key may not use the model \`${model}\`; ask for a key that lists it`,
    { param: "model" },
  );
}

/** The 400 for a model of a type that does not serve the endpoint. */
export function modelTypeMismatch(
  model: string,
  type: string,
  endpoint: string,
  served: readonly string[],
): GatewayError {
  return refusal(
    "model_type_mismatch",
    `The model \`${model}\` is ${withArticle(type)} model and does not serve ${endpoint}` +
      (served.length ? `; it serves ${served.join(", ")}` : ""),
    { param: "model" },
  );
}

/** The 413 for a body over its limit. */
export function requestTooLarge(limitBytes: number): GatewayError {
  return refusal(
    "request_too_large",
    `The request body is larger than ${Math.round(limitBytes / 1048576)} MiB`,
  );
}

/** The 405 for a method an endpoint does not take. */
export function methodNotAllowed(method: string, path: string): GatewayError {
  return refusal("method_not_allowed", `${method} is not allowed on ${path}`);
}

/** The 404 for a stored response the caller does not own, or that was never kept. */
export function responseNotFound(id: string): GatewayError {
  return refusal(
    "response_not_found",
    `No response with id '${id}' is stored for you (responses made with store: false are not kept)`,
    { param: "response_id" },
  );
}

/** The 400 for a `previous_response_id` the caller has no stored response of. */
export function previousResponseNotFound(id: string): GatewayError {
  return refusal("previous_response_not_found", `Previous response with id '${id}' not found.`, {
    param: "previous_response_id",
  });
}

/** The 404 for a path the gateway does not serve. */
export function unsupportedEndpoint(path: string, served: readonly string[]): GatewayError {
  return refusal(
    "unsupported_endpoint",
    `${path} is not served here: the installed mlx-openai-server serves ${served.join(", ")}`,
  );
}

/** The 499 recorded for a client that went away before its answer. */
export function clientClosed(): GatewayError {
  return refusal("client_closed", "Client closed");
}

/** The 503 for a server that cannot be reached (nothing was sent); retry after `retryAfter` seconds. */
export function upstreamUnavailable(
  who: string,
  reason: string,
  retryAfter: number,
  cause?: unknown,
): GatewayError {
  return refusal("upstream_unavailable", `${who} cannot be reached (${reason}); try again shortly`, {
    retryAfter,
    cause,
  });
}

/** The 504 for a server that took the request and began no answer within `seconds`. */
export function upstreamTimeout(who: string, seconds: number, cause?: unknown): GatewayError {
  return refusal(
    "upstream_timeout",
    `${who} accepted the request but did not begin its answer within ${seconds} s ` +
      "(MLX_MANAGER_UPSTREAM_ANSWER_TIMEOUT); try again later or check that machine",
    { cause },
  );
}

/** The 502 for a server whose answer head is larger than the gateway reads. */
export function headTooLarge(who: string, limitBytes: number, cause?: unknown): GatewayError {
  return refusal(
    "head_too_large",
    `${who} sent an answer whose head is larger than ${Math.round(limitBytes / 1024)} KiB; it was not read`,
    { cause },
  );
}

/** The 502 for a server that closed the connection or sent something unreadable instead of an answer. */
export function upstreamError(who: string, reason: string, cause?: unknown): GatewayError {
  return refusal("upstream_error", `${who} did not answer: ${reason}`, { cause });
}

/** The 502 for an upstream that refused this manager's key: not the caller's key being wrong. */
export function upstreamAuthFailed(upstream: string, status: number, message: string): GatewayError {
  return refusal(
    "upstream_auth_failed",
    `The upstream \`${upstream}\` refused this manager's key (HTTP ${status}): ${message}. ` +
      "An admin can set its key on the Upstreams page",
  );
}

/** The 500 for a failure nobody expected. */
export function internalError(cause: unknown): GatewayError {
  return refusal("internal_error", "The gateway failed to handle this request", { cause });
}

/** A reason to end a request early, with its entry's type. */
function cut(code: RefusalCode, message: string): Cut {
  return { type: REFUSALS[code].type, code, message };
}

/** Ends the requests of a revoked key or a disabled account (`api_key_revoked`). */
export function revokedCut(message: string): Cut {
  return cut("api_key_revoked", message);
}

/** Ends every request when the manager stops (`shutting_down`). */
export function shuttingDownCut(): Cut {
  return cut("shutting_down", "MLX Manager is shutting down");
}

/** Ends a stream whose server went away in the middle of it (`upstream_crashed`). */
export function upstreamCrashedCut(): Cut {
  return cut("upstream_crashed", "The model server closed the connection in the middle of the answer");
}

/** The entry for an {@link AppError}: its reason when the catalogue has it for that code, else the code's default. */
function appErrorCode(error: AppError): RefusalCode | null {
  const reason = error.reason && isRefusalCode(error.reason) ? error.reason : null;
  const status = reason ? REFUSALS[reason].status : 0;
  switch (error.code) {
    case "not_found":
      return "model_not_found";
    case "rate_limited":
      return reason && status === 429 ? reason : "queue_full";
    case "unavailable":
      return reason && status === 503 ? reason : "model_start_failed";
    case "conflict":
      return "model_start_failed";
    case "bad_request":
    case "invalid":
      return reason && status === 400 ? reason : "invalid_request";
    case "too_large":
      return "request_too_large";
    case "unauthenticated":
      return "invalid_api_key";
    case "forbidden":
      return reason && status === 403 ? reason : "forbidden";
    default:
      return null;
  }
}

/**
 * The 429 for a key's or user's requests a minute, tokens a minute or
 * requests in flight: `Retry-After` says when a retry may pass.
 */
export function rateLimitExceeded(
  message: string,
  retryAfterSeconds: number,
  headers: Record<string, string> = {},
): GatewayError {
  return refusal("rate_limit_exceeded", message, { retryAfter: retryAfterSeconds, headers });
}

/**
 * The 429 for a spent token budget: `Retry-After` is the time until its
 * period ends (in whole seconds, however long: not the catalogue's 60 s cap),
 * and the client is told not to retry before.
 */
export function budgetExceeded(
  message: string,
  resetsAt: Date,
  headers: Record<string, string> = {},
): GatewayError {
  const seconds = Math.max(1, Math.ceil((resetsAt.getTime() - Date.now()) / 1000));
  return refusal("budget_exceeded", message, {
    headers: {
      ...headers,
      "Retry-After": String(seconds),
      "x-mlx-manager-budget-resets-at": resetsAt.toISOString(),
    },
  });
}

/**
 * Maps a service's error onto the catalogue by its code and reason: unknown
 * profile → `model_not_found`, a full queue → `queue_full`, a failed start →
 * `model_start_failed`, the supervisor's own reasons (`queue_timeout`,
 * `model_exceeds_memory_budget`, …) as they are.
 */
export function fromAppError(error: AppError, model: string): GatewayError {
  const code = appErrorCode(error);
  if (code === "model_not_found") return modelNotFound(model);
  if (code === "invalid_api_key") return invalidApiKey(error.message);
  return refusal(code ?? "internal_error", error.message, { retryAfter: error.retryAfter, cause: error });
}

/** Maps anything thrown into a {@link GatewayError}. */
export function toGatewayError(error: unknown, model = ""): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof AppError) return fromAppError(error, model);
  return internalError(error);
}

/** One SSE frame carrying an error, sent when a stream fails after it began (no `[DONE]` follows). */
export function errorFrame(type: string, code: string, message: string): string {
  return `data: ${JSON.stringify({ error: { message, type, param: null, code } })}\n\n`;
}
