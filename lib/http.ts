/**
 * Cross-cutting middleware: security headers and request logging.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { Logger } from "./logger.ts";

/**
 * Security headers with a strict Content-Security-Policy: scripts, styles and
 * connections only from this origin, no inline script, no framing.
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:", "blob:"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: "same-origin",
    crossOriginOpenerPolicy: "same-origin",
    referrerPolicy: "same-origin",
    xFrameOptions: "DENY",
    strictTransportSecurity: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });
}

/**
 * Logs one line per request: method, path (never the query string, which may
 * carry secrets), status and duration. Assets and health probes log at debug.
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
