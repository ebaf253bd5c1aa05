/**
 * The address to connect to for a server that binds a host: the one rule
 * every area (the supervisor, the chat, the command line, the browser) uses
 * to turn a bind address into a URL. Browser-safe: no Deno APIs.
 *
 * @module
 */

/** Options of {@link dialHost}. */
export interface DialOptions {
  /**
   * The host that reaches a server bound to every address, e.g. the host
   * name of the page in a browser on another machine.
   * @default loopback of the wildcard's family (`127.0.0.1` or `::1`)
   */
  wildcard?: string;
}

/** Whether a bind host listens on every address (an empty host does too). */
export function isWildcardHost(host: string): boolean {
  return host === "" || host === "0.0.0.0" || host === "::";
}

/**
 * The host to dial for a server bound to `host`: loopback (or
 * `options.wildcard`) for the wildcard addresses and for an empty host,
 * brackets around IPv6 literals.
 *
 * @example
 * ```ts
 * dialHost("0.0.0.0"); // "127.0.0.1"
 * dialHost("::"); // "[::1]"
 * dialHost("fe80::1"); // "[fe80::1]"
 * dialHost("0.0.0.0", { wildcard: "studio.local" }); // "studio.local"
 * ```
 */
export function dialHost(host: string, options: DialOptions = {}): string {
  const reached = isWildcardHost(host) ? options.wildcard ?? (host === "::" ? "::1" : "127.0.0.1") : host;
  if (reached.startsWith("[")) return reached;
  return reached.includes(":") ? `[${reached}]` : reached;
}

/**
 * The base URL (no path) of a server bound to `host`:`port`.
 *
 * @example
 * ```ts
 * serverUrl("0.0.0.0", 10240); // "http://127.0.0.1:10240"
 * serverUrl("::1", 8000); // "http://[::1]:8000"
 * ```
 */
export function serverUrl(host: string, port: number, options: DialOptions = {}): string {
  return `http://${dialHost(host, options)}:${port}`;
}
