/**
 * Port checks: whether something already listens on a host and port.
 *
 * @module
 */
import { dialHost } from "../platform/dial.ts";

async function answers(hostname: string, port: number, timeoutMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), timeoutMs));
  const attempt = Deno.connect({ hostname, port }).then((c) => c, () => null);
  const conn = await Promise.race([attempt, timeout]);
  clearTimeout(timer);
  if (conn) {
    conn.close();
    return true;
  }
  // A connect that is still pending after the timeout is closed when it completes.
  attempt.then((c) => c?.close());
  return false;
}

/** Why a port cannot be used: in use, or the host is not an address of this machine. */
export type PortProblem = "in_use" | "bad_host" | null;

/**
 * Checks that a server could listen on `host`:`port`: nothing answers a
 * connection there, and binding it works. (Connecting catches listeners that
 * a plain bind test misses on macOS, where a specific address may be bound
 * next to a wildcard listener.)
 *
 * @example
 * ```ts
 * await portProblem("127.0.0.1", 10240); // null when free, "in_use" otherwise
 * ```
 */
export async function portProblem(host: string, port: number, timeoutMs = 500): Promise<PortProblem> {
  const bindHost = host === "localhost" ? "127.0.0.1" : host;
  if (await answers(dialHost(bindHost).replace(/^\[|\]$/g, ""), port, timeoutMs)) return "in_use";
  try {
    const listener = Deno.listen({ hostname: bindHost, port });
    listener.close();
    return null;
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) return "in_use";
    if (error instanceof Deno.errors.AddrNotAvailable) return "bad_host";
    throw error;
  }
}

/**
 * The first port from `start` that is not in `taken` and that nothing listens on.
 *
 * @example
 * ```ts
 * await firstFreePort(10240, new Set([10240])); // 10241 when nothing listens there
 * ```
 */
export async function firstFreePort(start: number, taken: Set<number>): Promise<number | null> {
  for (let port = start; port <= 65535; port++) {
    if (taken.has(port)) continue;
    if (await portProblem("127.0.0.1", port, 200) === null) return port;
  }
  return null;
}
