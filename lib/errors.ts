/**
 * Typed errors thrown by services and handlers, mapped to responses in one
 * place ({@link errorResponse}).
 *
 * @module
 */

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
  /** What went wrong, in a sentence (the reference's clients read this key). */
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
  422: "Invalid input",
  429: "Too many requests",
  500: "Internal server error",
  501: "Not implemented",
  503: "Service unavailable",
};

/** Normalizes anything thrown into an {@link HttpError}; unknown errors become a 500. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  // Hono's HTTPException (malformed JSON, bad form data) carries a status and message.
  if (error instanceof Error && "getResponse" in error && "status" in error) {
    const status = Number(error.status);
    return new HttpError(
      status,
      error.message || STATUS_TEXT[status] || "Request failed",
      { cause: error },
    );
  }
  return new HttpError(500, STATUS_TEXT[500], { cause: error });
}

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
