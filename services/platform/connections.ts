/**
 * The web server's listener, which owns every connection the way `Deno.serve`
 * does not: an accept that fails (no file descriptor left) is logged and
 * retried instead of ending the server; at most `maxConnections` are served
 * at once and one more is answered 503 and closed; a client that takes longer
 * than `clientTimeoutMs` to send a request's head, that pauses that long in
 * its body, or that stays idle that long between requests is dropped.
 *
 * Deno has no public way to serve HTTP on a connection accepted by hand
 * (`Deno.serveHttp` went with Deno 2), so each connection is handed to the
 * function `Deno.serve` itself uses per connection (`serveHttpOnConnection`,
 * reached through `Deno.internal`): the same HTTP/1.1 and HTTP/2 code, one
 * file descriptor per client. Where a Deno lacks it, {@link listen} falls back
 * to `Deno.serve` with only the body timeout, and says so.
 *
 * @module
 */
import type { Logger } from "../../lib/logger.ts";
import { Watchdog } from "../../lib/watchdog.ts";

/** A request handler, as `Deno.serve` takes it. */
export type ServeHandler = (
  request: Request,
  info: Deno.ServeHandlerInfo<Deno.NetAddr>,
) => Response | Promise<Response>;

/** Options of {@link listen}. */
export interface ListenOptions {
  hostname: string;
  port: number;
  handler: ServeHandler;
  /** Connections served at once; more are answered 503 and closed. */
  maxConnections: number;
  /** Milliseconds a client may take for a request's head, pause in a body, or idle between requests. */
  clientTimeoutMs: number;
  logger: Logger;
  /** Aborting it stops accepting and closes every connection. */
  signal?: AbortSignal;
  onListen?: (addr: Deno.NetAddr) => void;
}

/** A listening server. */
export interface Listening {
  readonly addr: Deno.NetAddr;
  /** Settles once the server has stopped. */
  readonly finished: Promise<void>;
  /** Connections being served now. */
  readonly connections: number;
  /** Whether the connection limit and the head and idle timeouts hold (false on the `Deno.serve` fallback). */
  readonly limited: boolean;
}

type ServeOnConnection = (
  connection: Deno.Conn,
  signal: AbortSignal,
  handler: ServeHandler,
  onError: (error: unknown) => Response,
  onListen: (scheme: string) => void,
) => { finished: Promise<void> };

/** `Deno.serve`'s per-connection server, or null in a Deno without it. */
export function serveOnConnection(): ServeOnConnection | null {
  const deno = Deno as unknown as { internal?: symbol } & Record<symbol, Record<string, unknown> | undefined>;
  const fn = deno.internal ? deno[deno.internal]?.serveHttpOnConnection : undefined;
  return typeof fn === "function" ? fn as ServeOnConnection : null;
}

/** The answer to a connection over the limit: both the app's and OpenAI's error shapes, then close. */
const REFUSAL = (() => {
  const message = "The manager is serving as many connections as it can: try again in a moment";
  const body = JSON.stringify({
    detail: message,
    code: "too_many_connections",
    error: { message, type: "server_error", param: null, code: "too_many_connections" },
  });
  return new TextEncoder().encode(
    "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n" +
      `connection: close\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
  );
})();

/** Refused connections closed at once (without waiting for the client to read the 503) past this many. */
const MAX_REFUSING = 32;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Races `promise` against `ms`; the timer never outlives the race. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((r) => timer = setTimeout(() => r(undefined), ms)),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function internalError(): Response {
  return new Response("Internal Server Error", { status: 500 });
}

/** Why a request body ended early: the client sent nothing for too long. */
export class ClientTimeout extends Error {
  /** @param ms how long the client sent nothing */
  constructor(ms: number) {
    super(`The client sent nothing for ${Math.round(ms / 1000)} s in the middle of its request body`);
    this.name = "ClientTimeout";
  }
}

/**
 * A request whose body must keep coming: a read that waits `ms` for the
 * client's next bytes fails with {@link ClientTimeout} and calls `onStall`
 * (which closes the connection).
 */
export function timedRequest(request: Request, ms: number, onStall: () => void): Request {
  const source = request.body;
  if (!source) return request;
  const reader = source.getReader();
  let stream!: ReadableStreamDefaultController<Uint8Array>;
  const watchdog = new Watchdog(ms, () => {
    stream.error(new ClientTimeout(ms));
    reader.cancel().catch(() => {});
    onStall();
  });
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      stream = controller;
    },
    async pull(controller) {
      watchdog.arm();
      try {
        const { value, done } = await reader.read();
        watchdog.disarm();
        if (done) {
          watchdog.stop();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        watchdog.stop();
        try {
          controller.error(error);
        } catch { /* already failed with the timeout */ }
      }
    },
    cancel(reason) {
      watchdog.stop();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return new Request(request, { body, duplex: "half" } as RequestInit);
}

/**
 * Listens on `hostname:port` and serves `handler` within the limits.
 *
 * @example
 * ```ts
 * const server = listen({ hostname: "127.0.0.1", port: 8080, handler: app.fetch, maxConnections: 1000,
 *   clientTimeoutMs: 60_000, logger });
 * await server.finished;
 * ```
 */
export function listen(options: ListenOptions): Listening {
  const serveOn = serveOnConnection();
  if (!serveOn) return fallback(options);
  const { handler, clientTimeoutMs: timeout, logger, maxConnections, signal } = options;
  const listener = Deno.listen({ hostname: options.hostname, port: options.port, transport: "tcp" });
  const addr = listener.addr;
  const open = new Set<AbortController>();
  let refusing = 0;
  let closed = false;

  const close = () => {
    if (closed) return;
    closed = true;
    try {
      listener.close();
    } catch { /* already closed */ }
    for (const connection of open) connection.abort();
  };
  signal?.addEventListener("abort", close, { once: true });

  const refuse = async (conn: Deno.Conn) => {
    refusing++;
    try {
      await within(conn.write(REFUSAL), 1000);
      // Closing with the request unread would reset the connection, and the client could lose the
      // 503: let it finish sending first, unless too many wait already (their descriptors count too).
      if (refusing > MAX_REFUSING) return;
      await conn.closeWrite();
      const scratch = new Uint8Array(16 * 1024);
      const deadline = Date.now() + 1000;
      while (Date.now() < deadline && await within(conn.read(scratch), deadline - Date.now())) { /* drain */ }
    } catch {
      /* the client is gone */
    } finally {
      refusing--;
      try {
        conn.close();
      } catch { /* already closed */ }
    }
  };

  const serve = (conn: Deno.Conn) => {
    const connection = new AbortController();
    const drop = () => connection.abort();
    // Armed from the accept to the first request's head, and from each answer's end to the next head.
    const idle = new Watchdog(timeout, drop);
    let active = 0;
    const finishedOne = () => {
      if (--active === 0) idle.arm();
    };
    const perRequest: ServeHandler = (request, info) => {
      if (active++ === 0) idle.disarm();
      info.completed.then(finishedOne, finishedOne);
      return handler(timedRequest(request, timeout, drop), info);
    };
    open.add(connection);
    idle.arm();
    let served: { finished: Promise<void> };
    try {
      served = serveOn(conn, connection.signal, perRequest, internalError, () => {});
    } catch (error) {
      logger.warn("Cannot serve a connection", { error: String(error) });
      open.delete(connection);
      idle.stop();
      conn.close();
      return;
    }
    served.finished.catch(() => {}).finally(() => {
      idle.stop();
      open.delete(connection);
    });
  };

  const accepting = (async () => {
    let backoff = 0;
    let lastWarning = 0;
    let failures = 0;
    while (!closed) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
        backoff = 0;
      } catch (error) {
        if (closed || error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted) {
          break;
        }
        // No file descriptor left, most likely: wait for some to be freed; the client waits in the backlog.
        failures++;
        if (Date.now() - lastWarning > 10_000) {
          logger.warn("Cannot accept a connection: retrying", {
            error: error instanceof Error ? error.message : String(error),
            failures,
            open: open.size,
          });
          lastWarning = Date.now();
          failures = 0;
        }
        backoff = Math.min(1000, backoff ? backoff * 2 : 10);
        await sleep(backoff);
        continue;
      }
      if (open.size >= maxConnections) void refuse(conn);
      else serve(conn);
    }
  })();

  options.onListen?.(addr);
  const finished = accepting.then(async () => {
    close();
    while (open.size > 0 || refusing > 0) await sleep(10);
  });
  return {
    addr,
    finished,
    get connections() {
      return open.size;
    },
    limited: true,
  };
}

/** `Deno.serve` with only the body timeout: no connection limit, head or idle timeout. */
function fallback(options: ListenOptions): Listening {
  const { handler, clientTimeoutMs: timeout, logger } = options;
  logger.warn(
    "This Deno cannot serve connections one by one: the connection limit and the header and idle timeouts are off",
  );
  const server = Deno.serve({
    hostname: options.hostname,
    port: options.port,
    signal: options.signal,
    onListen: (addr) => options.onListen?.(addr),
  }, (request, info) => handler(timedRequest(request, timeout, () => {}), info));
  return {
    addr: server.addr,
    finished: server.finished,
    connections: 0,
    limited: false,
  };
}
