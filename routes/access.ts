/**
 * Access rules, enforced for every request by one middleware: which paths are
 * public, which need an admin, and the same-origin check for state changes.
 *
 * A route added anywhere is protected unless it is listed here as public.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { HttpError } from "../lib/errors.ts";
import { KB, MB } from "../lib/body_limit.ts";
import type { AppEnv } from "./env.ts";

/** The session cookie's name. */
export const SESSION_COOKIE = "mlx_session";

/** Paths anyone may reach, exactly. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set([
  "/health",
  "/login",
  "/register",
  "/favicon.ico",
  "/api/auth/login",
  "/api/auth/register",
]);

/** Path prefixes anyone may reach: static assets and the development reload stream. */
export const PUBLIC_PREFIXES: readonly string[] = [
  "/_build/",
  "/static/",
  "/_dev/",
];

/** Path prefixes only admins may reach. */
export const ADMIN_PREFIXES: readonly string[] = [
  "/api/auth/users",
  "/users",
  "/api/system/launchd",
];

/** The largest body a route reads when {@link BODY_LIMITS} names no other. */
export const DEFAULT_BODY_LIMIT = MB;

/**
 * Body limits by path prefix, first match wins. Sign-in, registration and
 * other small forms get a small limit; chat requests carry whole
 * conversations (and pictures), so they get a large one.
 */
export const BODY_LIMITS: readonly (readonly [prefix: string, bytes: number])[] = [
  ["/api/auth/", 64 * KB],
  ["/login", 64 * KB],
  ["/register", 64 * KB],
  ["/logout", 64 * KB],
  ["/api/models/download", 64 * KB],
  ["/api/models/run", 64 * KB],
  ["/api/servers/", 64 * KB],
  ["/api/chat", 25 * MB],
  ["/api/conversations", 25 * MB],
  // The gateway limits /v1 bodies itself (JSON and multipart apart), answering in OpenAI's shape.
  ["/v1/", Infinity],
];

/** The body limit of a path, in bytes. */
export function bodyLimitFor(path: string): number {
  return BODY_LIMITS.find(([prefix]) => path === prefix || path.startsWith(prefix))?.[1] ??
    DEFAULT_BODY_LIMIT;
}

/**
 * Requests only admins may make on paths every user may read: changing the
 * shared profiles (whose settings run code and open ports as the manager's
 * user) and deleting models. Users see everything, start and stop servers,
 * download, chat, and manage their own keys and conversations. Users may run a
 * model in one step (`POST /api/models/run`) too: the run itself refuses to
 * create a profile for them, so they run only models a profile exists for.
 */
export const ADMIN_ROUTES: readonly { method: string; path: RegExp; what: string }[] = [
  { method: "POST", path: /^\/api\/profiles\/?$/, what: "create profiles" },
  { method: "PUT", path: /^\/api\/profiles\/[^/]+\/?$/, what: "edit profiles" },
  { method: "PATCH", path: /^\/api\/profiles\/[^/]+\/?$/, what: "edit profiles" },
  { method: "DELETE", path: /^\/api\/profiles\/[^/]+\/?$/, what: "delete profiles" },
  { method: "POST", path: /^\/api\/profiles\/[^/]+\/duplicate\/?$/, what: "duplicate profiles" },
  { method: "DELETE", path: /^\/api\/models\/.+/, what: "delete models" },
  { method: "GET", path: /^\/profiles\/new\/?$/, what: "create profiles" },
];

/** What a non-admin may not do with `method` on `path`, or null when anyone signed in may. */
export function adminOnly(method: string, path: string): string | null {
  return ADMIN_ROUTES.find((r) => r.method === method && r.path.test(path))?.what ?? null;
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Whether a path needs no session. */
export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.has(path) ||
    PUBLIC_PREFIXES.some((p) => path.startsWith(p));
}

/** Whether a path needs an admin. */
export function isAdminPath(path: string): boolean {
  return ADMIN_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

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

/** Whether a state-changing request comes from this app's own pages. */
export function isSameOrigin(c: Context): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = c.req.header("origin");
  if (origin) return origin === new URL(c.req.url).origin;
  return site !== undefined;
}

/** Whether the request arrived over https (directly or through a proxy that says so). */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:" ||
    c.req.header("x-forwarded-proto") === "https";
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure over https. */
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

/**
 * Identifies the user from a Bearer token or the session cookie and applies
 * the access rules: 401 (or a redirect to the login page) without a valid
 * session, 403 for non-admins on admin paths, 403 for cross-site state changes
 * made with a cookie.
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
    if (isPublic) return next();
    if (isAdminPath(path) && !user!.isAdmin) {
      throw new HttpError(403, "Admin access required", { code: "forbidden" });
    }
    const what = user!.isAdmin ? null : adminOnly(c.req.method, path);
    if (what) throw new HttpError(403, `Only an admin can ${what}`, { code: "forbidden" });
    return next();
  };
}

/** The host name of a `Host` header, lower-cased, without port or trailing dot (IPv6 keeps its brackets). */
export function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  return host.replace(/:\d*$/, "").replace(/\.$/, "");
}

function isIpLiteral(host: string): boolean {
  if (/^\[[0-9a-f:.]+(%[\w.-]+)?\]$/.test(host)) return true;
  const parts = host.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/**
 * Whether the app answers a request for `host`: an IP address, `localhost`, this machine's
 * name or `<name>.local`, or one of `allowed`. A name outside this list is how a DNS
 * rebinding page reaches a local app with a same-origin `Origin`.
 */
export function isAllowedHost(host: string, machine: string, allowed: readonly string[]): boolean {
  const name = hostName(host);
  const self = machine.toLowerCase().replace(/\.local$/, "");
  return isIpLiteral(name) || name === "localhost" || name === self || name === `${self}.local` ||
    allowed.includes(name);
}

/**
 * Refuses (421) a request whose `Host` names another site, before anything else reads it.
 * The machine's name is read once, when the middleware is made.
 */
export function hostCheck(
  allowed: readonly string[],
  machine: string = Deno.hostname(),
): MiddlewareHandler<AppEnv> {
  return async function hostCheck(c, next) {
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    if (!isAllowedHost(host, machine, allowed)) {
      throw new HttpError(
        421,
        `This app does not answer for the host ${
          hostName(host)
        }: open it by its address or add the name to MLX_MANAGER_ALLOWED_HOSTS`,
        { code: "misdirected" },
      );
    }
    await next();
  };
}

/** The client's address, or null when the runtime does not say (a request made in-process). */
export function remoteAddress(c: Context): string | null {
  const info = (c.env as { remoteAddr?: { hostname?: string } } | undefined)
    ?.remoteAddr;
  return info?.hostname ?? null;
}

/** The client's address, for throttling; "unknown" when the runtime does not say. */
export function clientAddress(c: Context): string {
  return remoteAddress(c) ?? "unknown";
}
