/**
 * The address to connect to for a server that binds a host: the one rule
 * every area uses to turn a bind address into a URL.
 *
 * @module
 */

/**
 * The host to dial for a server bound to `host`: loopback for the wildcard
 * addresses and for an empty host, brackets around IPv6 literals.
 *
 * @example
 * ```ts
 * dialHost("0.0.0.0"); // "127.0.0.1"
 * dialHost("::"); // "[::1]"
 * dialHost("fe80::1"); // "[fe80::1]"
 * ```
 */
export function dialHost(host: string): string {
  if (host === "" || host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  if (host.startsWith("[")) return host;
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * The base URL (no path) of a server bound to `host`:`port`.
 *
 * @example
 * ```ts
 * serverUrl("0.0.0.0", 10240); // "http://127.0.0.1:10240"
 * ```
 */
export function serverUrl(host: string, port: number): string {
  return `http://${dialHost(host)}:${port}`;
}
