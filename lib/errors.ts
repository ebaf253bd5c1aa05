/**
 * Typed errors. Services throw an {@link AppError} with a code from a closed
 * set ({@link ErrorCode}) and a message for a person; `routes/errors.tsx` maps
 * each code to an HTTP status in one table, and the command line maps them to
 * its exit codes. {@link HttpError} is the edge's own error, for handlers and
 * middleware that already know the status they answer.
 *
 * @module
 */

/**
 * The kinds of failure a service reports. The set is closed: a new kind needs a
 * status in `routes/errors.tsx` and an exit code in `cli/io.ts`, and the type
 * checker points at both.
 */
export const ERROR_CODES = [
  /** The request cannot be read (bad framing, not JSON, wrong content type). */
  "bad_request",
  /** A value is not acceptable; `fields` names which. */
  "invalid",
  /** Nobody is signed in, or the credentials are wrong. */
  "unauthenticated",
  /** Signed in, but not allowed. */
  "forbidden",
  /** The thing does not exist. */
  "not_found",
  /** The thing exists, but its state or another thing's stands in the way. */
  "conflict",
  /** The body is larger than its limit. */
  "too_large",
  /** The body is of a media type the route does not read. */
  "unsupported_media",
  /** Too many attempts; `retryAfter` says when to try again. */
  "rate_limited",
  /** A service this depends on cannot be used now (shutting down, hub offline). */
  "unavailable",
  /** Another program or server answered with a failure. */
  "upstream",
  /** Not possible on this machine (launchd off macOS). */
  "not_implemented",
  /** The data disk is full. */
  "disk_full",
  /** A bug or an unexpected failure. */
  "internal",
] as const;

/** A kind of failure; see {@link ERROR_CODES}. */
export type ErrorCode = typeof ERROR_CODES[number];

/** Options of an {@link AppError}. */
export interface AppErrorOptions {
  /**
   * A finer, stable reason for clients that branch on it (`"port_in_use"`,
   * `"gated"`); answered as the body's `code`, which is the error's code otherwise.
   */
  reason?: string;
  /** Per-field messages, shown inline by forms. */
  fields?: Record<string, string>;
  /** Seconds after which a retry may succeed. */
  retryAfter?: number;
  /** Extra response headers, such as `WWW-Authenticate`. */
  headers?: Record<string, string>;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * A failure of a service, with a code from {@link ERROR_CODES} and a message a
 * person can act on. It knows nothing of HTTP.
 *
 * @example
 * ```ts
 * throw new AppError("not_found", "Profile not found");
 * throw new AppError("conflict", "Port 10240 is in use", { reason: "port_in_use", fields: { port: "In use" } });
 * ```
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly reason?: string;
  readonly fields?: Record<string, string>;
  readonly retryAfter?: number;
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.reason = options.reason;
    this.fields = options.fields;
    this.retryAfter = options.retryAfter;
    this.headers = options.headers;
  }
}

/** Whether `error` is an {@link AppError}, optionally of one of `codes`. */
export function isAppError(error: unknown, ...codes: ErrorCode[]): error is AppError {
  return error instanceof AppError && (codes.length === 0 || codes.includes(error.code));
}

/** Options of an {@link HttpError}. */
export interface HttpErrorOptions {
  /** Per-field messages, shown inline by forms. */
  fields?: Record<string, string>;
  /** Extra response headers, such as `Retry-After` or `WWW-Authenticate`. */
  headers?: Record<string, string>;
  /** A stable machine-readable code, such as `"pending_approval"`. */
  code?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * An error with an HTTP status and a message a person can act on.
 *
 * @example
 * ```ts
 * throw new HttpError(404, "Profile not found");
 * ```
 */
export class HttpError extends Error {
  readonly fields?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly code?: string;

  constructor(
    readonly status: number,
    message: string,
    options: HttpErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "HttpError";
    this.fields = options.fields;
    this.headers = options.headers;
    this.code = options.code;
  }
}

/** The JSON body of every error answer under `/api`. */
export interface ErrorBody {
  /** What went wrong, in a sentence (the key API clients read). */
  detail: string;
  /** Per-field messages for forms. */
  fields?: Record<string, string>;
  /** A stable code for clients that branch on the kind of error. */
  code?: string;
}

/** Ordinary statuses whose reason phrase is shown for unexpected errors. */
const STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "Not authenticated",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  421: "Misdirected request",
  422: "Invalid input",
  429: "Too many requests",
  500: "Internal server error",
  501: "Not implemented",
  502: "Bad gateway",
  503: "Service unavailable",
  507: "Insufficient storage",
};

/** The status text used for a status without a message. */
export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? "Request failed";
}

/** Builds the JSON error body for an {@link HttpError}. */
export function errorBody(error: HttpError): ErrorBody {
  const body: ErrorBody = { detail: error.message };
  if (error.fields) body.fields = error.fields;
  if (error.code) body.code = error.code;
  return body;
}
