/**
 * Errors in OpenAI's shape, `{"error":{"message","type","param","code"}}`:
 * the ones the gateway produces itself, the mapping of a service's
 * {@link AppError} onto them, and the normalization of a model server's error
 * bodies (FastAPI's `detail` wrapping, 422 validation lists) into the same shape.
 *
 * @module
 */
import { AppError, type ErrorCode } from "../../lib/errors.ts";

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
 * A refusal of the gateway: an HTTP status, OpenAI's `type` and `code`, a
 * message a person can act on, and the headers that make the official client
 * retry (`Retry-After`) or not (`x-should-retry: false`).
 *
 * @example
 * ```ts
 * throw new GatewayError(404, "invalid_request_error", "model_not_found", "The model `x` does not exist.");
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

/** A 400 `invalid_request_error`. */
export function badRequest(code: string, message: string, param: string | null = null): GatewayError {
  return new GatewayError(400, "invalid_request_error", code, message, { param });
}

/** The 401 for a missing, wrong, revoked or expired key, or a key whose owner may not sign in. */
export function invalidApiKey(message: string): GatewayError {
  return new GatewayError(401, "invalid_request_error", "invalid_api_key", message, {
    headers: { "WWW-Authenticate": 'Bearer realm="mlx-manager"' },
    kind: "unauthenticated",
  });
}

/** The 404 for a name no profile has. */
export function modelNotFound(model: string): GatewayError {
  return new GatewayError(
    404,
    "invalid_request_error",
    "model_not_found",
    `The model \`${model}\` does not exist. GET /v1/models lists the models you may use.`,
    { param: "model" },
  );
}

function retryHeaders(seconds: number | undefined): Record<string, string> {
  const s = Math.min(60, Math.max(1, Math.ceil(seconds ?? 1)));
  return { "Retry-After": String(s), "retry-after-ms": String(s * 1000) };
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
  return new GatewayError(429, "rate_limit_error", "rate_limit_exceeded", message, {
    headers: { ...headers, ...retryHeaders(retryAfterSeconds) },
    kind: "rate_limited",
  });
}

/**
 * The 429 for a spent token budget: `Retry-After` is the time until its
 * period ends (in whole seconds, however long), and the client is told not to
 * retry before.
 */
export function budgetExceeded(
  message: string,
  resetsAt: Date,
  headers: Record<string, string> = {},
): GatewayError {
  const seconds = Math.max(1, Math.ceil((resetsAt.getTime() - Date.now()) / 1000));
  return new GatewayError(429, "rate_limit_error", "budget_exceeded", message, {
    headers: {
      ...headers,
      "Retry-After": String(seconds),
      "x-should-retry": "false",
      "x-mlx-manager-budget-resets-at": resetsAt.toISOString(),
    },
    kind: "rate_limited",
  });
}

/**
 * Maps a service's error onto the gateway's catalogue: unknown profile → 404,
 * a failed start or a model larger than the memory budget → 503 that the
 * client must not retry, a full queue → 429 and a queue wait that timed out →
 * 503, both with `Retry-After`.
 */
export function fromAppError(error: AppError, model: string): GatewayError {
  const reason = error.reason ?? error.code;
  switch (error.code) {
    case "not_found":
      return modelNotFound(model);
    case "rate_limited":
      return new GatewayError(
        429,
        "rate_limit_error",
        reason === "rate_limited" ? "queue_full" : reason,
        error.message,
        {
          headers: retryHeaders(error.retryAfter),
          cause: error,
        },
      );
    case "unavailable": {
      const retryable = error.retryAfter !== undefined || reason === "queue_timeout" ||
        reason === "shutting_down";
      return new GatewayError(
        503,
        "server_error",
        reason === "unavailable" ? "model_start_failed" : reason,
        error.message,
        {
          headers: retryable ? retryHeaders(error.retryAfter) : { "x-should-retry": "false" },
          cause: error,
        },
      );
    }
    case "conflict":
      return new GatewayError(503, "server_error", "model_start_failed", error.message, {
        headers: { "x-should-retry": "false" },
        cause: error,
      });
    case "bad_request":
    case "invalid":
      return badRequest(reason, error.message);
    case "too_large":
      return new GatewayError(413, "invalid_request_error", "request_too_large", error.message);
    case "unauthenticated":
      return invalidApiKey(error.message);
    case "forbidden":
      return new GatewayError(403, "invalid_request_error", reason, error.message);
    default:
      return new GatewayError(500, "server_error", reason, error.message, { cause: error });
  }
}

/** Maps anything thrown into a {@link GatewayError}. */
export function toGatewayError(error: unknown, model = ""): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof AppError) return fromAppError(error, model);
  return new GatewayError(
    500,
    "server_error",
    "internal_error",
    "The gateway failed to handle this request",
    {
      cause: error,
    },
  );
}

function text(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return null;
}

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
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(raw);
  } catch { /* not JSON */ }
  const fallbackType = status === 429
    ? "rate_limit_error"
    : status >= 500
    ? "server_error"
    : "invalid_request_error";
  const record = parsed && typeof parsed === "object" ? parsed as Record<string, unknown> : null;
  const detail = record?.detail;
  if (Array.isArray(detail)) {
    const items = detail.map((d) => {
      const loc = Array.isArray(d?.loc) ? (d.loc as unknown[]).filter((p) => p !== "body") : [];
      const param = loc.reduce<string>(
        (acc, part) => typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${part}` : String(part),
        "",
      );
      return { param, msg: String(d?.msg ?? "invalid value") };
    });
    return {
      status: status === 422 ? 400 : status,
      body: {
        error: {
          message: items.map((i) => i.param ? `${i.param}: ${i.msg}` : i.msg).join("; ") || "Invalid request",
          type: "invalid_request_error",
          param: items[0]?.param || null,
          code: "invalid_request",
        },
      },
    };
  }
  const inner = (detail && typeof detail === "object" ? (detail as Record<string, unknown>).error : null) ??
    record?.error;
  if (inner && typeof inner === "object") {
    const e = inner as Record<string, unknown>;
    let type = text(e.type) ?? fallbackType;
    if (type === "rate_limit_exceeded" && status === 429) type = "rate_limit_error";
    return {
      status,
      body: {
        error: {
          message: text(e.message) ?? `The model server answered HTTP ${status}`,
          type,
          param: text(e.param),
          code: text(e.code),
        },
      },
    };
  }
  const message = text(detail) ?? text(inner) ?? (raw.trim().slice(0, 500) || `HTTP ${status}`);
  return {
    status,
    body: {
      error: {
        message: `The model server answered HTTP ${status}: ${message}`,
        type: fallbackType,
        param: null,
        code: status === 404 ? "unsupported_endpoint" : String(status),
      },
    },
  };
}

/** One SSE frame carrying an error, sent when a stream fails after it began (no `[DONE]` follows). */
export function errorFrame(type: string, code: string, message: string): string {
  return `data: ${JSON.stringify({ error: { message, type, param: null, code } })}\n\n`;
}
