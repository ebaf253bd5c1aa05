/**
 * Server-Sent Events responses with keep-alive comments, clean shutdown when
 * the client goes away, a bound on what a slow client may queue, and an end
 * for a client that stopped reading (its connection is closed too).
 *
 * @module
 */
import { ClientStalled, Watchdog } from "./watchdog.ts";

/** One SSE message. */
export interface SseMessage {
  /** The `event:` field; omitted for plain `message` events. */
  event?: string;
  /** The `id:` field, echoed back by browsers in `Last-Event-ID`. */
  id?: string | number;
  /** The payload; objects are sent as compact JSON. */
  data: unknown;
  /** The `retry:` field in milliseconds. */
  retry?: number;
}

/** What a stream's producer can do. */
export interface SseWriter {
  /** Sends a message; returns false once the stream is closed. */
  send(message: SseMessage): boolean;
  /** Sends a comment line (ignored by clients; keeps proxies from timing out). */
  comment(text: string): boolean;
  /** Ends the stream. */
  close(): void;
  /** Whether the stream has ended. */
  readonly closed: boolean;
  /** Aborted when the stream ends for any reason. */
  readonly signal: AbortSignal;
}

/** Options of {@link sseResponse}. */
export interface SseOptions {
  /** Aborting it ends the stream (pass the request's signal). */
  signal?: AbortSignal;
  /** Milliseconds between keep-alive comments; 0 disables them. @default 15000 */
  keepAliveMs?: number;
  /** Bytes a slow client may have queued before it is dropped. @default 4 MiB */
  maxQueuedBytes?: number;
  /** Milliseconds a client may leave what was sent unread before it is dropped; 0 never. @default 0 */
  stallMs?: number;
  /** Called once when the stream has ended, however it ended. */
  onClose?: () => void;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

const encoder = new TextEncoder();

/** Formats one SSE message as wire text. */
export function formatSse(message: SseMessage): string {
  let text = "";
  if (message.event) text += `event: ${message.event}\n`;
  if (message.id !== undefined) text += `id: ${message.id}\n`;
  if (message.retry !== undefined) text += `retry: ${message.retry}\n`;
  const data = typeof message.data === "string" ? message.data : JSON.stringify(message.data);
  for (const line of data.split("\n")) text += `data: ${line}\n`;
  return `${text}\n`;
}

/**
 * Creates an SSE response; `start` runs once with a writer and may return a
 * cleanup function, called when the stream ends.
 *
 * @example
 * ```ts
 * return sseResponse((sse) => {
 *   sse.send({ event: "hello", data: { ok: true } });
 *   return bus.subscribe((e) => sse.send({ event: e.type, id: e.id, data: e.data }));
 * }, { signal: c.req.raw.signal });
 * ```
 */
export function sseResponse(
  start: (
    writer: SseWriter,
  ) => void | (() => void) | Promise<void | (() => void)>,
  options: SseOptions = {},
): Response {
  const {
    signal,
    keepAliveMs = 15_000,
    maxQueuedBytes = 4 * 1024 * 1024,
    stallMs = 0,
    onClose,
    headers = {},
  } = options;
  const done = new AbortController();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cleanup: (() => void) | void;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Messages sent in one turn of the event loop go out as one chunk: a burst
  // of events costs one encode and one enqueue, not one per message.
  let pending = "";
  let scheduled = false;

  function flush() {
    scheduled = false;
    if (!pending) return;
    const text = pending;
    pending = "";
    try {
      controller.enqueue(encoder.encode(text));
      stall.arm();
    } catch { /* the client has gone */ }
  }

  /** Ends the stream: what was sent is delivered, unless `error` drops it with the connection. */
  function finish(error?: Error) {
    if (done.signal.aborted) return;
    if (!error) flush();
    done.abort();
    clearInterval(timer);
    stall.stop();
    signal?.removeEventListener("abort", onAbort);
    try {
      cleanup?.();
    } catch { /* cleanup failures must not keep the stream open */ }
    try {
      onClose?.();
    } catch { /* nor may the caller's */ }
    try {
      if (error) controller.error(error);
      else controller.close();
    } catch { /* already closed or cancelled */ }
  }
  const onAbort = () => finish();
  const stall = new Watchdog(stallMs, () => finish(new ClientStalled(stallMs)));

  function write(text: string): boolean {
    if (done.signal.aborted) return false;
    if ((controller.desiredSize ?? 0) < -maxQueuedBytes) {
      finish(new ClientStalled(`fell more than ${Math.round(maxQueuedBytes / 1024)} KiB behind`));
      return false;
    }
    pending += text;
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
    return true;
  }

  const writer: SseWriter = {
    send: (message) => write(formatSse(message)),
    comment: (text) => write(`: ${text}\n\n`),
    close: () => finish(),
    get closed() {
      return done.signal.aborted;
    },
    signal: done.signal,
  };

  const body = new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      if (signal?.aborted) return finish();
      signal?.addEventListener("abort", onAbort, { once: true });
      if (keepAliveMs > 0) {
        timer = setInterval(() => writer.comment("keep-alive"), keepAliveMs);
      }
      try {
        const result = await start(writer);
        if (done.signal.aborted) result?.();
        else cleanup = result;
      } catch (error) {
        writer.send({
          event: "error",
          data: { type: "error", error: (error as Error).message },
        });
        finish();
      }
    },
    pull() {
      stall.disarm();
    },
    cancel: () => finish(),
  }, { highWaterMark: 0, size: (chunk) => chunk.byteLength });

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      ...headers,
    },
  });
}
