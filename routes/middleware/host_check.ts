/**
 * The `Host` check: the app answers only for the names it is reached by, so a
 * DNS-rebinding page cannot reach it with a same-origin `Origin`.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "../../lib/errors.ts";
import type { AppEnv } from "../env.ts";

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
 *
 * @example
 * ```ts
 * isAllowedHost("studio.local:8080", "studio", []); // true
 * isAllowedHost("attacker.example", "studio", []);  // false
 * ```
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
 *
 * @example
 * ```ts
 * app.use(hostCheck(config.allowedHosts));
 * ```
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
