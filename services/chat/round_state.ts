/**
 * Turns the chunks of one streamed chat completion into chat events and
 * keeps what the answer amounted to: text, reasoning and its duration, tool
 * calls merged by index, usage, the finish reason, an in-stream error, and
 * the times of the first and last token.
 *
 * Pure apart from the clock it is given, so every case is unit-testable.
 *
 * @module
 */
import type { ChatEvent, ToolCall } from "../../lib/chat/types.ts";
import { ThinkSplitter } from "./think_splitter.ts";

/** Token counts reported by the server. */
export interface Usage {
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function count(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * The message of an OpenAI-style error object (`{message}`, a string, or `{error: …}`).
 *
 * @example
 * ```ts
 * errorText({ error: { message: "Model handler not initialized" } }); // "Model handler not initialized"
 * ```
 */
export function errorText(value: unknown): string {
  if (typeof value === "string") return value;
  if (isObject(value)) {
    if (typeof value.message === "string") return value.message;
    if ("error" in value) return errorText(value.error);
  }
  return JSON.stringify(value);
}

/**
 * Appends an event, merging it into the previous one when both carry text of
 * the same kind, so a burst of chunks becomes one event.
 */
export function pushEvent(events: ChatEvent[], event: ChatEvent): void {
  const last = events.at(-1);
  if (
    last && (event.type === "thinking" || event.type === "response") && last.type === event.type
  ) {
    last.content += event.content;
    return;
  }
  events.push(event);
}

interface PartialCall {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

/**
 * The state of one streamed answer.
 *
 * @example
 * ```ts
 * const round = new RoundState(() => performance.now());
 * round.feed('{"choices":[{"delta":{"content":"Hi"}}]}'); // [{type:"response", content:"Hi"}]
 * round.end();                                            // [] (no reasoning or tool calls pending)
 * round.content;                                          // "Hi"
 * ```
 */
export class RoundState {
  content = "";
  reasoning = "";
  /** Seconds spent reasoning, rounded to 0.1, once reasoning has ended. */
  reasoningDuration: number | null = null;
  usage: Usage | null = null;
  finishReason: string | null = null;
  /** An error object the server sent inside the stream. */
  error: string | null = null;
  firstTokenAt: number | null = null;
  lastTokenAt: number | null = null;
  /** Chunks that carried text or tool calls: the token estimate when no usage comes. */
  tokenChunks = 0;

  readonly #now: () => number;
  readonly #splitter = new ThinkSplitter();
  readonly #calls = new Map<number, PartialCall>();
  #thinkingSince: number | null = null;
  /** Whether reasoning is arriving in a field (it ends when content starts). */
  #fieldReasoning = false;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The merged tool calls, in index order. */
  get toolCalls(): ToolCall[] {
    return [...this.#calls.values()].sort((a, b) => a.index - b.index).map((c) => ({
      index: c.index,
      id: c.id || `call_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`,
      type: "function" as const,
      function: { name: c.name, arguments: c.arguments },
    }));
  }

  /**
   * Feeds one `data` payload (JSON text); returns the events it produces.
   * Payloads that are not JSON are skipped; `[DONE]` is the caller's business.
   */
  feed(payload: string): ChatEvent[] {
    let chunk: unknown;
    try {
      chunk = JSON.parse(payload);
    } catch {
      // Servers that omit the blank line between events glue payloads together.
      if (!payload.includes("\n")) return [];
      return payload.split("\n").flatMap((line) => line.trim() ? this.feed(line) : []);
    }
    return this.feedChunk(chunk);
  }

  /** Feeds one parsed chunk. */
  feedChunk(chunk: unknown): ChatEvent[] {
    const events: ChatEvent[] = [];
    if (!isObject(chunk)) return events;
    if (chunk.error !== undefined && chunk.error !== null) {
      this.error = errorText(chunk.error);
      return events;
    }
    if (isObject(chunk.usage)) {
      this.usage = {
        prompt_tokens: count(chunk.usage.prompt_tokens),
        completion_tokens: count(chunk.usage.completion_tokens),
        total_tokens: count(chunk.usage.total_tokens),
      };
    }
    // Usage-only frames (OpenAI's stream_options.include_usage) have no choices.
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (!isObject(choice)) return events;
    const delta = isObject(choice.delta) ? choice.delta : isObject(choice.message) ? choice.message : {};
    const now = this.#now();
    let carried = false;

    const reasoning = typeof delta.reasoning_content === "string"
      ? delta.reasoning_content
      : typeof delta.reasoning === "string"
      ? delta.reasoning
      : "";
    const cleaned = reasoning.replaceAll("<think>", "").replaceAll("</think>", "");
    if (cleaned) {
      carried = true;
      this.#fieldReasoning = true;
      this.#startThinking(now);
      this.reasoning += cleaned;
      pushEvent(events, { type: "thinking", content: cleaned });
    }

    const content = typeof delta.content === "string" ? delta.content : "";
    if (content) {
      carried = true;
      if (this.#fieldReasoning) {
        this.#fieldReasoning = false;
        this.#endThinking(now, events);
      }
      this.#split(this.#splitter.push(content), now, events);
    }

    if (Array.isArray(delta.tool_calls) && delta.tool_calls.length) {
      carried = true;
      this.#fieldReasoning = false;
      this.#endThinking(now, events);
      delta.tool_calls.forEach((raw, position) => this.#mergeCall(raw, position));
    }

    if (typeof choice.finish_reason === "string" && choice.finish_reason) {
      this.finishReason = choice.finish_reason;
    }
    if (carried) {
      this.firstTokenAt ??= now;
      this.lastTokenAt = now;
      this.tokenChunks++;
    }
    return events;
  }

  /**
   * Ends the answer: releases held-back text, closes open reasoning and
   * emits the merged tool calls followed by `tool_calls_done`.
   */
  end(): ChatEvent[] {
    const events: ChatEvent[] = [];
    const now = this.#now();
    this.#split(this.#splitter.flush(), now, events);
    this.#endThinking(this.lastTokenAt ?? now, events);
    const calls = this.toolCalls;
    if (calls.length) {
      // Fix the generated ids now, so the events and the saved message agree.
      for (const call of calls) this.#calls.get(call.index)!.id = call.id;
      for (const call of calls) events.push({ type: "tool_call", tool_call: call });
      events.push({ type: "tool_calls_done" });
    }
    return events;
  }

  #split(parts: ReturnType<ThinkSplitter["push"]>, now: number, events: ChatEvent[]): void {
    for (const part of parts) {
      if (part.kind === "open") this.#startThinking(now);
      else if (part.kind === "close") this.#endThinking(now, events);
      else if (part.kind === "thinking") {
        this.#startThinking(now);
        this.reasoning += part.text;
        pushEvent(events, { type: "thinking", content: part.text });
      } else if (part.kind === "response") {
        this.content += part.text;
        pushEvent(events, { type: "response", content: part.text });
      }
    }
  }

  #startThinking(now: number): void {
    if (this.#thinkingSince === null && this.reasoningDuration === null) this.#thinkingSince = now;
    else if (this.#thinkingSince === null) {
      // Reasoning again after an answer began: the duration keeps adding up.
      this.#thinkingSince = now - this.reasoningDuration! * 1000;
    }
  }

  #endThinking(now: number, events: ChatEvent[]): void {
    if (this.#thinkingSince === null) return;
    const duration = Math.round((now - this.#thinkingSince) / 100) / 10;
    this.#thinkingSince = null;
    this.reasoningDuration = duration;
    events.push({ type: "thinking_done", duration });
  }

  #mergeCall(raw: unknown, position: number): void {
    if (!isObject(raw)) return;
    const fn = isObject(raw.function) ? raw.function : {};
    const id = typeof raw.id === "string" ? raw.id : "";
    let index = typeof raw.index === "number" ? raw.index : -1;
    if (index < 0) {
      const byId = id ? [...this.#calls.values()].find((c) => c.id === id) : undefined;
      index = byId?.index ?? position;
    }
    const call = this.#calls.get(index) ?? { index, id: "", name: "", arguments: "" };
    if (id && !call.id) call.id = id;
    if (typeof fn.name === "string" && fn.name && !call.name) call.name = fn.name;
    if (typeof fn.arguments === "string") call.arguments += fn.arguments;
    else if (isObject(fn.arguments)) call.arguments += JSON.stringify(fn.arguments);
    this.#calls.set(index, call);
  }
}
