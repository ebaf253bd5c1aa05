/**
 * Runs one bridged request through the gateway's chat path and answers in
 * the bridge's protocol. What is known at once (a wrong key, an unknown or
 * forbidden model, a bad body, a full queue) is answered with its real HTTP
 * status. A stream whose server is not answering within a short moment of
 * the request being admitted (a cold start, a queue, a long prompt) is
 * committed: `200`, the protocol's opening events at once and keep-alives
 * until the server answers; a failure after that is the protocol's error
 * event. Every chat chunk is translated and written as soon as it is read.
 *
 * @module
 */
import type { Gateway } from "../gateway/mod.ts";
import type { Caller, Credentials } from "../gateway/auth.ts";
import { type ChatEvent, ChatStreamReader, completionEvents, type StreamError } from "./chat_events.ts";

/** An error the gateway answered, in the parts a protocol needs. */
export interface GatewayFailure extends StreamError {
  status: number;
  param: string | null;
  headers: Headers;
}

/** One request's translation, made by a bridge for each request. */
export interface BridgeTurn {
  /** The path the activity row names. */
  readonly endpoint: string;
  /** Whether the client asked for a stream (known once {@link toChat} ran). */
  readonly stream: boolean;
  /** The chat request for the protocol's body. @throws {GatewayError} 400 */
  toChat(body: Record<string, unknown>, caller: Caller): Record<string, unknown>;
  /** The request was admitted with this id. */
  admitted(requestId: string): void;
  /** The answer to a refusal known before the stream began. */
  refuse(failure: GatewayFailure, gateway: Response): Response;
  /** The protocol's answer object for a whole chat completion. */
  json(completion: Record<string, unknown>): Record<string, unknown>;
  /** The opening events of the stream. */
  start(): string;
  /** A keep-alive. */
  ping(): string;
  /** The events for one chat event. */
  push(event: ChatEvent): string;
  /** The closing events, when the chat stream ended without saying so. */
  end(): string;
  /** The protocol's error event. */
  fail(failure: StreamError & { status?: number }): string;
  /** Whether the stream ended (nothing more is written). */
  readonly ended: boolean;
}

/** How long a stream waits for the gateway before committing, and between keep-alives. */
export interface BridgeTiming {
  commitMs: number;
  keepAliveMs: number;
}

/**
 * How long a stream waits, once admitted, for its server's answer before it
 * commits to a 200 with the opening events: long enough for a refusal of the
 * supervisor (a full queue) to keep its status, short against a client's stall watchdog.
 */
export const COMMIT_MS = 500;

const encoder = new TextEncoder();

/** The SSE headers of a bridged stream: no compression or proxy buffering holds a delta back. */
export function streamHeaders(requestId: string | null): Headers {
  const headers = new Headers({
    "content-type": "text/event-stream; charset=utf-8",
    // no-transform: the server's response compression would otherwise buffer the stream.
    "cache-control": "no-cache, no-transform",
    "x-accel-buffering": "no",
  });
  if (requestId) headers.set("x-request-id", requestId);
  return headers;
}

/** Whether a gateway answer's header is one a bridged answer passes on: the caller's rate limits. */
export function isLimitHeader(name: string): boolean {
  return name.startsWith("x-ratelimit-") || name === "x-mlx-manager-budget-resets-at";
}

function withLimits(headers: Headers, limits: Iterable<[string, string]>): Headers {
  for (const [name, value] of limits) if (isLimitHeader(name)) headers.set(name, value);
  return headers;
}

/** The parts of a gateway error answer (OpenAI's `{"error":{…}}`). */
export async function failureOf(response: Response): Promise<GatewayFailure> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json())?.error ?? {};
  } catch { /* not JSON: the status speaks */ }
  return {
    status: response.status,
    message: typeof body.message === "string" ? body.message : `HTTP ${response.status}`,
    type: typeof body.type === "string" ? body.type : "server_error",
    code: typeof body.code === "string" ? body.code : null,
    param: typeof body.param === "string" ? body.param : null,
    headers: response.headers,
  };
}

function ok(response: Response): boolean {
  return response.status >= 200 && response.status <= 299;
}

/**
 * Runs `turn` through the gateway's chat path.
 *
 * @example
 * ```ts
 * return await runBridge(gateway, { request: c.req.raw, credentials }, anthropic.turn(), { commitMs: 400, keepAliveMs: 10_000 });
 * ```
 */
export async function runBridge(
  gateway: Gateway,
  incoming: { request: Request; credentials: Credentials },
  turn: BridgeTurn,
  timing: BridgeTiming,
): Promise<Response> {
  let requestId: string | null = null;
  let limits: Readonly<Record<string, string>> = {};
  let commit: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const committed = new Promise<null>((resolve) => commit = () => resolve(null));
  const forwarded = gateway.forward("/v1/chat/completions", {
    ...incoming,
    bridge: {
      endpoint: turn.endpoint,
      toChat: (body, caller) => turn.toChat(body, caller),
      admitted(id, limitHeaders) {
        requestId = id;
        limits = limitHeaders;
        turn.admitted(id);
        if (turn.stream) timer = setTimeout(commit!, timing.commitMs);
      },
    },
  });
  const first = await Promise.race([forwarded, committed]);
  clearTimeout(timer);
  if (first && !ok(first)) return turn.refuse(await failureOf(first), first);
  if (!turn.stream) {
    const response = first!;
    let completion: Record<string, unknown>;
    try {
      completion = await response.json();
    } catch {
      return turn.refuse({
        status: 502,
        message: "The model server's answer is not JSON",
        type: "server_error",
        code: "upstream_invalid_answer",
        param: null,
        headers: new Headers(),
      }, response);
    }
    const answer = turn.json(completion);
    const headers = new Headers({ "content-type": "application/json" });
    const id = response.headers.get("x-request-id");
    if (id) headers.set("x-request-id", id);
    return new Response(JSON.stringify(answer), {
      status: 200,
      headers: withLimits(headers, response.headers),
    });
  }
  const body = translate(first ? Promise.resolve(first) : forwarded, turn, timing.keepAliveMs);
  return new Response(body, {
    status: 200,
    headers: withLimits(
      streamHeaders(first?.headers.get("x-request-id") ?? requestId),
      first ? first.headers : Object.entries(limits),
    ),
  });
}

/** The protocol's stream for a chat answer still to come. */
function translate(
  answer: Promise<Response>,
  turn: BridgeTurn,
  keepAliveMs: number,
): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let pinger: ReturnType<typeof setInterval> | undefined;
  let cancelled = false;
  const events = new ChatStreamReader();
  let lastWrite = performance.now();
  const write = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    if (!text) return;
    controller.enqueue(encoder.encode(text));
    lastWrite = performance.now();
  };
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    clearInterval(pinger);
    controller.close();
    if (reader) reader.cancel().catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      write(controller, turn.start());
      // A keep-alive whenever nothing was written for a while: a cold start, a queue, and also a long
      // prompt, whose server answers at once but sends its first token only once it has read it all.
      // Checked five times an interval, so no silence lasts much longer than one (Claude Code gives up after ~20 s).
      pinger = setInterval(() => {
        if (performance.now() - lastWrite >= keepAliveMs) write(controller, turn.ping());
      }, keepAliveMs / 5);
    },
    async pull(controller) {
      if (!reader) {
        const response = await answer;
        if (cancelled) {
          await response.body?.cancel().catch(() => {});
          return;
        }
        if (!ok(response)) {
          write(controller, turn.fail(await failureOf(response)));
          return finish(controller);
        }
        if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
          // A server that answers a streamed request in one piece.
          let text = "";
          try {
            for (const e of completionEvents(await response.json())) text += turn.push(e);
          } catch {
            text = turn.fail({
              message: "The model server's answer cannot be read",
              type: "server_error",
              code: null,
            });
          }
          write(controller, text);
          return finish(controller);
        }
        reader = response.body!.getReader();
      }
      // A pull that enqueues nothing is not called again: read on until there is something to write.
      while (true) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          const message = String((error as Error)?.message ?? error);
          write(controller, turn.fail({ message, type: "server_error", code: null }));
          return finish(controller);
        }
        if (result.done) {
          write(controller, turn.end());
          return finish(controller);
        }
        let text = "";
        for (const e of events.feed(result.value)) text += turn.push(e);
        write(controller, text);
        if (turn.ended) return finish(controller);
        if (text) return;
      }
    },
    cancel() {
      cancelled = true;
      clearInterval(pinger);
      if (reader) return reader.cancel().catch(() => {});
      // The answer may still come: its body is then cancelled, which ends the request upstream.
      answer.then((r) => r.body?.cancel()).catch(() => {});
    },
  }, { highWaterMark: 0 });
}
