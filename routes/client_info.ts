/**
 * What a request tells of its client: its address, and whether it comes from
 * this app's own pages.
 *
 * @module
 */
import type { Context } from "hono";

/**
 * Whether a state-changing request comes from this app's own pages.
 *
 * @example
 * ```ts
 * if (!isSameOrigin(c)) throw new HttpError(403, "Cross-site request refused");
 * ```
 */
export function isSameOrigin(c: Context): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = c.req.header("origin");
  if (origin) return origin === new URL(c.req.url).origin;
  return site !== undefined;
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
