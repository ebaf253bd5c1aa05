/**
 * A chat completions stream read as the events a protocol bridge turns into
 * its own: reasoning text, answer text, tool calls (whole or in fragments,
 * keyed by their index), the finish reason, the usage and an error frame.
 * Pure: bytes in, events out; the bridges' emitters never see chat chunks.
 *
 * @module
 */

/** Token counts as the server reported them. */
export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  /** Prompt tokens read from the server's prompt cache. */
  cached_tokens: number;
}

/** An error the server (or the gateway) reported inside the stream. */
export interface StreamError {
  message: string;
  type: string;
  code: string | null;
}

/** One thing that happened in a chat stream. */
export type ChatEvent =
  | { kind: "reasoning"; text: string }
  | { kind: "text"; text: string }
  | { kind: "tool_start"; index: number; id: string; name: string }
  | { kind: "tool_args"; index: number; text: string }
  | { kind: "finish"; reason: string; stop: string | null }
  | { kind: "usage"; usage: ChatUsage }
  | { kind: "error"; error: StreamError }
  | { kind: "done" };

/** Reads a `usage` object of chat completions (null when absent or empty). */
export function readUsage(value: unknown): ChatUsage | null {
  if (!value || typeof value !== "object") return null;
  const u = value as Record<string, unknown>;
  if (typeof u.prompt_tokens !== "number" && typeof u.completion_tokens !== "number") return null;
  const details = u.prompt_tokens_details as Record<string, unknown> | undefined;
  return {
    prompt_tokens: Number(u.prompt_tokens ?? 0),
    completion_tokens: Number(u.completion_tokens ?? 0),
    cached_tokens: typeof details?.cached_tokens === "number" ? details.cached_tokens : 0,
  };
}

/** Reads an `error` object (the server's `{"error":{…}}` frame). */
export function readError(value: unknown): StreamError {
  const e = value && typeof value === "object" ? value as Record<string, unknown> : {};
  return {
    message: typeof e.message === "string" && e.message ? e.message : "The model server failed",
    type: typeof e.type === "string" ? e.type : "server_error",
    code: typeof e.code === "string" ? e.code : typeof e.code === "number" ? String(e.code) : null,
  };
}

/**
 * Turns chat SSE bytes into {@link ChatEvent}s. A call's first fragment names
 * it (id and name); later fragments of the same index carry only arguments,
 * as OpenAI streams them (mlx-openai-server sends each call whole).
 *
 * @example
 * ```ts
 * const reader = new ChatStreamReader();
 * for (const event of reader.feed(chunk)) emit(event);
 * ```
 */
export class ChatStreamReader {
  readonly #decoder = new TextDecoder();
  readonly #tools = new Set<number>();
  #buffer = "";
  #calls = 0;

  /** The events of the next bytes of the stream. */
  feed(chunk: Uint8Array): ChatEvent[] {
    const text = this.#buffer + this.#decoder.decode(chunk, { stream: true });
    const events: ChatEvent[] = [];
    // Frames are found with indexOf, not a walk over each character: this runs for every chunk of every stream.
    let pos = 0;
    while (true) {
      const lf = text.indexOf("\n\n", pos);
      const crlf = text.indexOf("\r\n\r\n", pos);
      const end = lf === -1 ? crlf : crlf === -1 ? lf : Math.min(lf, crlf);
      if (end === -1) break;
      const data = dataOf(text.substring(pos, end));
      if (data !== "") this.#data(data, events);
      pos = end + (end === crlf ? 4 : 2);
    }
    this.#buffer = pos === 0 ? text : text.substring(pos);
    return events;
  }

  #data(data: string, events: ChatEvent[]): void {
    if (data === "[DONE]") {
      events.push({ kind: "done" });
      return;
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    if (!parsed || typeof parsed !== "object") return;
    if (parsed.error) {
      events.push({ kind: "error", error: readError(parsed.error) });
      return;
    }
    const choice = Array.isArray(parsed.choices) ? parsed.choices[0] as Record<string, unknown> : undefined;
    const delta = choice?.delta as Record<string, unknown> | undefined;
    if (delta) this.#delta(delta, events);
    if (choice && typeof choice.finish_reason === "string") {
      const stop = typeof choice.stop_reason === "string" ? choice.stop_reason : null;
      events.push({ kind: "finish", reason: choice.finish_reason, stop });
    }
    const usage = readUsage(parsed.usage);
    if (usage) events.push({ kind: "usage", usage });
  }

  #delta(delta: Record<string, unknown>, events: ChatEvent[]): void {
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (typeof reasoning === "string" && reasoning !== "") {
      events.push({ kind: "reasoning", text: reasoning });
    }
    if (typeof delta.content === "string" && delta.content !== "") {
      events.push({ kind: "text", text: delta.content });
    }
    if (!Array.isArray(delta.tool_calls)) return;
    for (const raw of delta.tool_calls) {
      if (!raw || typeof raw !== "object") continue;
      const call = raw as Record<string, unknown>;
      const fn = (call.function ?? {}) as Record<string, unknown>;
      // A whole call without an index (some servers) is a new call each time.
      const index = typeof call.index === "number" ? call.index : 1_000_000 + this.#calls;
      if (!this.#tools.has(index)) {
        this.#tools.add(index);
        this.#calls++;
        const id = typeof call.id === "string" && call.id
          ? call.id
          : `call_${crypto.randomUUID().slice(0, 12)}`;
        events.push({ kind: "tool_start", index, id, name: typeof fn.name === "string" ? fn.name : "" });
      }
      if (typeof fn.arguments === "string" && fn.arguments !== "") {
        events.push({ kind: "tool_args", index, text: fn.arguments });
      }
    }
  }
}

/** The `data` of one SSE frame (its `data:` lines joined; comments and other fields left out). */
function dataOf(frame: string): string {
  if (frame.startsWith("data: ") && frame.indexOf("\n") === -1) return frame.substring(6);
  let data = "";
  let first = true;
  for (const line of frame.split(/\r?\n/)) {
    if (!line.startsWith("data:")) continue;
    data += (first ? "" : "\n") + line.substring(line[5] === " " ? 6 : 5);
    first = false;
  }
  return data;
}

/** How a turn ended, in terms both protocols map from. */
export type StopKind = "tool_calls" | "length" | "stop_sequence" | "stop";

/**
 * Why a turn ended: a tool call wins whatever the finish reason said (the
 * agent runs the tool only then); `length`, or as many tokens as the limit
 * (mlx-openai-server never reports `length`), is the limit; a stop string the
 * server names is a stop sequence.
 */
export function stopKind(
  turn: { tools: boolean; finish: string | null; stop: string | null; completionTokens: number | null },
  request: { maxTokens: number | null; stopSequences: readonly string[] },
): StopKind {
  if (turn.tools || turn.finish === "tool_calls") return "tool_calls";
  if (turn.finish === "length") return "length";
  if (
    request.maxTokens !== null && turn.completionTokens !== null && turn.completionTokens >= request.maxTokens
  ) {
    return "length";
  }
  if (turn.stop !== null && request.stopSequences.includes(turn.stop)) return "stop_sequence";
  return "stop";
}

/** Arguments of a tool call as an object (`{}` for text that is not a JSON object). */
export function parseArguments(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text || "{}");
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** The events of a whole chat completion (a server that answered JSON to a streamed request). */
export function completionEvents(completion: Record<string, unknown>): ChatEvent[] {
  if (completion.error) return [{ kind: "error", error: readError(completion.error) }];
  const choice = (Array.isArray(completion.choices) ? completion.choices[0] : null) as
    | Record<string, unknown>
    | null;
  const message = (choice?.message ?? {}) as Record<string, unknown>;
  const events: ChatEvent[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === "string" && reasoning) events.push({ kind: "reasoning", text: reasoning });
  if (typeof message.content === "string" && message.content) {
    events.push({ kind: "text", text: message.content });
  }
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls as Record<string, unknown>[] : [];
  calls.forEach((call, index) => {
    const fn = (call.function ?? {}) as Record<string, unknown>;
    const id = typeof call.id === "string" && call.id ? call.id : `call_${crypto.randomUUID().slice(0, 12)}`;
    events.push({ kind: "tool_start", index, id, name: String(fn.name ?? "") });
    if (typeof fn.arguments === "string" && fn.arguments) {
      events.push({ kind: "tool_args", index, text: fn.arguments });
    }
  });
  if (typeof choice?.finish_reason === "string") {
    events.push({ kind: "finish", reason: choice.finish_reason, stop: null });
  }
  const usage = readUsage(completion.usage);
  if (usage) events.push({ kind: "usage", usage });
  events.push({ kind: "done" });
  return events;
}
