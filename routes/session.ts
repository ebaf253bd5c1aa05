/**
 * The session cookie: set at sign-in, cleared at sign-out and when it no
 * longer names a valid session.
 *
 * @module
 */
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "./env.ts";

/** The session cookie's name. */
export const SESSION_COOKIE = "mlx_session";

/** Whether the request arrived over https (directly or through a proxy that says so). */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:" ||
    c.req.header("x-forwarded-proto") === "https";
}

/**
 * Sets the session cookie: HttpOnly, SameSite=Lax, Secure over https.
 *
 * @example
 * ```ts
 * setSessionCookie(c, token);
 * ```
 */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c),
    path: "/",
    maxAge: Math.round(c.var.deps.config.jwtExpireDays * 86400),
  });
}

/** Removes the session cookie. */
export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: isHttps(c) });
}
