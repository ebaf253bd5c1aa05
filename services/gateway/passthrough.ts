/**
 * The body of a forwarded answer: each chunk of the server's body is handed
 * on the moment it is read, unchanged, and shown to an observer beside it.
 * A client that goes away cancels the upstream read at once. When the
 * stream has to end early (a revoked key, an upstream that died), an SSE
 * answer gets one `data: {"error":…}` frame and ends without `[DONE]`. A
 * client that stops reading for `stallMs` is treated as gone: the upstream
 * read is cancelled (freeing the model's slot) and its connection is closed.
 *
 * @module
 */
import { errorFrame, upstreamCrashedCut } from "./errors.ts";
import { ClientStalled, Watchdog } from "../../lib/watchdog.ts";

/** Why the gateway ends a stream early. */
export interface Cut {
  type: string;
  code: string;
  message: string;
}

/** How a passthrough ended. */
export type PassthroughEnd = "done" | "client_closed" | "cut" | "upstream_crashed";

/** Hooks of {@link passthrough}. */
export interface PassthroughHooks {
  /** Whether the body is an SSE stream (errors are then written as a frame). */
  sse: boolean;
  /** Sees every chunk, after it was queued for the client. */
  onChunk(chunk: Uint8Array): void;
  /** The reason when the gateway itself aborted the upstream read. */
  cutReason(): Cut | null;
  /** Called once, when the body ended in any way. */
  onEnd(end: PassthroughEnd): void;
  /** Milliseconds a client may leave a chunk unread before it is dropped. @default never */
  stallMs?: number;
}

const encoder = new TextEncoder();

/**
 * Wraps an upstream body for the client.
 *
 * @example
 * ```ts
 * const body = passthrough(upstream.body!, { sse: true, onChunk: (c) => observer.feed(c), cutReason: () => null, onEnd });
 * return new Response(body, { status: upstream.status, headers });
 * ```
 */
export function passthrough(
  upstream: ReadableStream<Uint8Array>,
  hooks: PassthroughHooks,
): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  let ended = false;
  // The last bytes passed on: a client that hangs up right after `[DONE]` (as the
  // openai client does) got the whole answer.
  let tail = "";
  const decoder = new TextDecoder();
  const end = (how: PassthroughEnd) => {
    if (ended) return;
    ended = true;
    stall.stop();
    hooks.onEnd(how);
  };
  let stream!: ReadableStreamDefaultController<Uint8Array>;
  const stall = new Watchdog(hooks.stallMs ?? 0, () => {
    if (ended) return;
    end("client_closed");
    void reader.cancel().catch(() => {});
    stream.error(new ClientStalled(hooks.stallMs ?? 0));
  });
  return new ReadableStream<Uint8Array>({
    start(controller) {
      stream = controller;
    },
    async pull(controller) {
      stall.disarm();
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch {
        if (ended) return;
        const cut = hooks.cutReason();
        const reason = cut ?? upstreamCrashedCut();
        if (hooks.sse) {
          controller.enqueue(encoder.encode(errorFrame(reason.type, reason.code, reason.message)));
          controller.close();
        } else controller.error(new Error(reason.message));
        end(cut ? "cut" : "upstream_crashed");
        return;
      }
      if (result.done) {
        controller.close();
        end("done");
        return;
      }
      controller.enqueue(result.value);
      stall.arm();
      if (hooks.sse) tail = (tail + decoder.decode(result.value.subarray(-32))).slice(-32);
      hooks.onChunk(result.value);
    },
    cancel(reason) {
      end(/data: \[DONE\]\s*$/.test(tail) ? "done" : "client_closed");
      return reader.cancel(reason).catch(() => {});
    },
  }, { highWaterMark: 0 });
}
