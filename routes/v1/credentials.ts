/**
 * The credentials a `/v1` request presents: an API key as `Authorization:
 * Bearer` or `x-api-key` (Anthropic's clients send that), else the session
 * cookie with whether the request comes from this app's own pages.
 *
 * @module
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../env.ts";
import { isSameOrigin, remoteAddress } from "../client_info.ts";
import { SESSION_COOKIE } from "../session.ts";
import type { Credentials } from "../../services/gateway/auth.ts";

/** The request's credentials for the gateway. */
export function credentials(c: Context<AppEnv>): Credentials {
  const header = c.req.header("authorization");
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? c.req.header("x-api-key")?.trim() ?? null;
  return {
    bearer: bearer || null,
    cookie: bearer ? null : getCookie(c, SESSION_COOKIE) ?? null,
    sameOrigin: isSameOrigin(c),
    unsafe: c.req.method !== "GET" && c.req.method !== "HEAD",
    address: remoteAddress(c),
  };
}
