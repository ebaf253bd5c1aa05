/**
 * Who makes a request: the user of a Bearer token or of the session cookie.
 * Every request passes here; which routes need an admin is said by the
 * routers themselves (`adminOnly()`).
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { HttpError } from "../../lib/errors.ts";
import { isPublicPath } from "../access.ts";
import { isSameOrigin, remoteAddress } from "../client_info.ts";
import { clearSessionCookie, SESSION_COOKIE } from "../session.ts";
import type { AppEnv } from "../env.ts";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function isApi(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}

function bearerToken(c: Context): string | null {
  const header = c.req.header("authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match ? match[1] : null;
}

/** The session token a request presents: its Bearer token, else its session cookie. */
export function sessionToken(c: Context): string | null {
  return bearerToken(c) ?? getCookie(c, SESSION_COOKIE) ?? null;
}

/**
 * Identifies the user from a Bearer token or the session cookie and applies
 * the access rules: 401 (or a redirect to the login page) without a valid
 * session on any path but the public ones, 403 for cross-site state changes
 * made with a cookie.
 *
 * @example
 * ```ts
 * app.use(sessionAuth());
 * app.get("/me", (c) => c.json(c.var.user)); // never reached without a session
 * ```
 */
export function sessionAuth(): MiddlewareHandler<AppEnv> {
  return async function sessionAuth(c, next) {
    const path = c.req.path;
    const { accounts } = c.var.deps;
    const bearer = bearerToken(c);
    const cookie = bearer ? null : getCookie(c, SESSION_COOKIE) ?? null;
    const token = bearer ?? cookie;
    const isPublic = isPublicPath(path);
    // Guessed tokens are throttled per address, like wrong API keys on /v1.
    if (bearer && !isPublic) accounts.assertCredentialCheck(remoteAddress(c));
    const user = token ? await accounts.authenticate(token) : null;
    c.set("user", user);

    if (!user && !isPublic) {
      if (bearer) accounts.credentialFailed(remoteAddress(c));
      if (cookie) clearSessionCookie(c);
      if (!isApi(path)) {
        const nextUrl = path + new URL(c.req.url).search;
        return c.redirect(`/login?next=${encodeURIComponent(nextUrl)}`);
      }
      throw new HttpError(401, token ? "Could not validate credentials" : "Not authenticated", {
        headers: { "WWW-Authenticate": "Bearer" },
        code: "unauthenticated",
      });
    }
    const browserSession = !bearer && (cookie !== null || c.req.header("sec-fetch-site") !== undefined);
    if (UNSAFE_METHODS.has(c.req.method) && browserSession && !isSameOrigin(c)) {
      throw new HttpError(403, "Cross-site request refused: use the app's own pages or a Bearer token", {
        code: "cross_site",
      });
    }
    return next();
  };
}
