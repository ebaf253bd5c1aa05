/**
 * One log line per request.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { Logger } from "../../lib/logger.ts";

/**
 * Logs one line per request: method, path (never the query string, which may
 * carry secrets), status and duration. Assets and health probes log at debug.
 *
 * @example
 * ```ts
 * app.use(requestLog(logger)); // INFO GET /servers status=200 ms=4
 * ```
 */
export function requestLog(logger: Logger): MiddlewareHandler {
  return async function requestLog(c, next) {
    const started = performance.now();
    await next();
    const path = c.req.path;
    const quiet = path === "/health" || path.startsWith("/_build/") ||
      path.startsWith("/static/") ||
      path.startsWith("/_dev/");
    const fields = {
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    };
    (quiet ? logger.debug : logger.info)(`${c.req.method} ${path}`, fields);
  };
}
