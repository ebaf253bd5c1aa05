/**
 * Which URLs a rendered answer may point at: web pages, e-mail addresses and
 * places on this site — never `javascript:`, `data:` or any other scheme a
 * model could use to run code or smuggle content.
 *
 * @module
 */

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const LINK_SCHEMES = new Set(["http", "https", "mailto"]);
const IMAGE_SCHEMES = new Set(["http", "https"]);

function allowed(url: string, schemes: Set<string>): string | null {
  const trimmed = url.trim();
  // Control characters and backslashes let browsers read a scheme we did not see.
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(trimmed)) return null;
  const scheme = SCHEME.exec(trimmed);
  if (scheme) return schemes.has(scheme[1].toLowerCase()) ? trimmed : null;
  return trimmed;
}

/**
 * The URL if a link may point at it (http, https, mailto or relative), else `null`.
 *
 * @example
 * ```ts
 * safeHref("https://deno.com"); // "https://deno.com"
 * safeHref("javascript:alert(1)"); // null
 * ```
 */
export function safeHref(url: string): string | null {
  return allowed(url, LINK_SCHEMES);
}

/**
 * The URL if an image may load from it (http, https or relative; the
 * Content-Security-Policy then keeps remote ones out), else `null`.
 *
 * @example
 * ```ts
 * safeSrc("/static/favicon.svg"); // "/static/favicon.svg"
 * safeSrc("data:image/svg+xml,..."); // null
 * ```
 */
export function safeSrc(url: string): string | null {
  return allowed(url, IMAGE_SCHEMES);
}
