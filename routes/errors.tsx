/**
 * The one place errors become responses: JSON under `/api`, an HTML page elsewhere.
 *
 * @module
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { AppError, errorBody, type ErrorCode, HttpError, statusText } from "../lib/errors.ts";
import { renderPage } from "./render.tsx";
import type { AppEnv } from "./env.ts";
import { dirname } from "node:path";
import { diskFullError } from "../db/mod.ts";

/** The one mapping of a service's {@link ErrorCode} to the HTTP status it is answered with. */
export const CODE_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media: 415,
  rate_limited: 429,
  unavailable: 503,
  upstream: 502,
  not_implemented: 501,
  disk_full: 507,
  internal: 500,
};

/** Normalizes anything thrown into an {@link HttpError}; unknown errors become a 500. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof AppError) {
    const headers = { ...error.headers };
    if (error.retryAfter !== undefined) {
      headers["Retry-After"] = String(Math.max(1, Math.ceil(error.retryAfter)));
    }
    return new HttpError(CODE_STATUS[error.code], error.message, {
      fields: error.fields,
      headers: Object.keys(headers).length ? headers : undefined,
      code: error.reason ?? error.code,
      cause: error,
    });
  }
  // Hono's HTTPException (malformed JSON, bad form data) carries a status and message.
  if (error instanceof Error && "getResponse" in error && "status" in error) {
    const status = Number(error.status);
    return new HttpError(status, error.message || statusText(status), { cause: error });
  }
  return new HttpError(500, statusText(500), { cause: error });
}

function isApi(c: Context): boolean {
  return c.req.path.startsWith("/api/") || c.req.path === "/api" ||
    (c.req.header("accept") ?? "").startsWith("application/json");
}

function ErrorPage({ status, message }: { status: number; message: string }) {
  return (
    <section class="mx-auto max-w-lg py-16 text-center">
      <p class="text-5xl font-bold text-indigo-600">{status}</p>
      <h1 class="page-title mt-4">{statusText(status)}</h1>
      <p class="muted mt-2">{message}</p>
      <a href="/" class="btn btn-primary mt-6">Back to the dashboard</a>
    </section>
  );
}

/** Answers an {@link HttpError} as JSON or an HTML page, with its headers. */
export function errorResponse(c: Context<AppEnv>, error: HttpError): Response {
  for (const [name, value] of Object.entries(error.headers ?? {})) {
    c.header(name, value);
  }
  if (isApi(c) || !c.var.deps) {
    return c.json(errorBody(error), error.status as 400);
  }
  try {
    return renderPage(
      c,
      <ErrorPage status={error.status} message={error.message} />,
      {
        title: statusText(error.status),
        status: error.status,
        bare: !c.var.user,
      },
    );
  } catch {
    return c.text(error.message, error.status as 400);
  }
}

/** The folder whose disk a full-disk failure is about: the database's, or the data dir. */
function dataFolder(c: Context<AppEnv>, error: unknown): string {
  const config = c.var.deps?.config;
  if (!config) return ".";
  const sqlite = (error as { code?: unknown })?.code === "ERR_SQLITE_ERROR";
  return sqlite && config.databasePath !== ":memory:" ? dirname(config.databasePath) : config.dataDir;
}

/** Whether `error` is a refusal the app chose (a status it meant), not a failure it did not expect. */
function isExpected(error: unknown): boolean {
  return error instanceof AppError ? error.code !== "internal" : error instanceof HttpError;
}

/**
 * The app's error handler: maps every error; logs unexpected failures with their stack
 * (never request bodies), expected server-side refusals (501, 503, 507…) as one warning line,
 * and refusals of the request (4xx) not at all (the request log shows their status).
 */
export const onError: ErrorHandler<AppEnv> = (error, c) => {
  const cause = diskFullError(error, dataFolder(c, error)) ?? error;
  const mapped = toHttpError(cause);
  const logger = c.var.deps?.logger;
  if (mapped.status >= 500 && isExpected(cause)) {
    logger?.warn(`${c.req.method} ${c.req.path}: ${mapped.message}`, { status: mapped.status });
  } else if (mapped.status >= 500) {
    logger?.error(`${c.req.method} ${c.req.path} failed`, {
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
  return errorResponse(c, mapped);
};

/** The app's 404 handler. */
export const notFound: NotFoundHandler<AppEnv> = (c) => {
  return errorResponse(
    c,
    new HttpError(
      404,
      isApi(c) ? "Not found" : `There is no page at ${c.req.path}`,
    ),
  );
};
