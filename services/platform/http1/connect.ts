/**
 * Opening a connection to an `http:` or `https:` server, within a time limit
 * and an abort signal. A TLS connection is opened with its handshake done, so
 * a certificate the client does not trust fails here, before anything is sent.
 *
 * @module
 */
import { ConnectError } from "./errors.ts";
import { connectionReason } from "./reason.ts";

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Aborting gives up at once with the signal's reason. */
  signal?: AbortSignal;
  /** How long opening (and the TLS handshake) may take. @default no limit but the signal */
  timeoutMs?: number;
  /** Root certificates (PEM) trusted for `https:` besides the default ones. */
  caCerts?: string[];
}

/** Closes a connection that may be closed already. */
export function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}

/** Opens the TCP connection, then TLS over it for `https:`; aborting `signal` gives up at any step. */
async function open(url: URL, caCerts: string[] | undefined, signal: AbortSignal): Promise<Deno.Conn> {
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const tls = url.protocol === "https:";
  const tcp = await Deno.connect({ hostname, port: Number(url.port || (tls ? 443 : 80)), signal });
  // A request is one write and an answer is awaited: Nagle's delay would only add latency.
  tcp.setNoDelay(true);
  if (!tls) return tcp;
  let conn: Deno.Conn = tcp;
  const onAbort = () => closeQuietly(conn);
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    const secure = await Deno.startTls(tcp, { hostname, caCerts });
    conn = secure;
    signal.throwIfAborted();
    await secure.handshake();
    return secure;
  } catch (error) {
    closeQuietly(conn);
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/**
 * Opens a connection to `url`'s host and port.
 *
 * @throws {ConnectError} when it cannot be opened in time (nothing was sent);
 *   the signal's reason when it aborts first
 *
 * @example
 * ```ts
 * const conn = await connect(new URL("https://studio.local:8443"), { timeoutMs: 10_000 });
 * ```
 */
export function connect(url: URL, options: ConnectOptions = {}): Promise<Deno.Conn> {
  const { signal, timeoutMs, caCerts } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  // Given up on by a timeout or an abort, the attempt is stopped at whatever step it is.
  const giveUp = new AbortController();
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      return true;
    };
    const stop = (reason: unknown) => {
      if (!settle()) return;
      reject(reason);
      giveUp.abort(reason);
    };
    const onAbort = () => stop(signal!.reason);
    const timer = timeoutMs === undefined
      ? undefined
      : setTimeout(() => stop(new ConnectError(`no connection within ${timeoutMs / 1000} s`)), timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    open(url, caCerts, giveUp.signal).then(
      // A connection that opens after the timeout or the abort is closed, not leaked.
      (conn) => settle() ? resolve(conn) : closeQuietly(conn),
      (error) => settle() && reject(new ConnectError(connectionReason(error), { cause: error })),
    );
  });
}
