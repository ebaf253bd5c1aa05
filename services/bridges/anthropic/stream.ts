/**
 * A chat stream as Anthropic's event stream: `message_start`, then per
 * content block (thinking, text, tool_use, in the order they come)
 * `content_block_start` / deltas / `content_block_stop`, then `message_delta`
 * with the stop reason and usage and `message_stop`. A thinking block gets a
 * `signature_delta` before it closes (Claude Code drops a thinking block
 * without one); text that is only whitespace before a tool call is not sent
 * (an empty text block beside a tool call breaks agents); a turn with a tool
 * call ends with `tool_use`. A failure is one `error` event, and nothing
 * follows it. Pure: events in, wire text out.
 *
 * @module
 */
import { type ChatEvent, type ChatUsage, stopKind, type StreamError } from "../chat_events.ts";
import { anthropicErrorBody, errorTypeFor } from "./errors.ts";

/** What the stream says about the request. */
export interface AnthropicStreamInit {
  id: string;
  /** The model name the client asked for. */
  model: string;
  /** An estimate of the prompt's tokens (the server's count comes at the end). */
  inputTokens: number;
  maxTokens: number | null;
  stopSequences: readonly string[];
}

/** The signature a thinking block carries: the reasoning is not signed here, but clients need one. */
export const THINKING_SIGNATURE = "mlx-manager";

type Block = "thinking" | "text" | "tool_use";

/** The `stop_reason` of a turn. */
export function anthropicStop(kind: ReturnType<typeof stopKind>): string {
  return kind === "tool_calls"
    ? "tool_use"
    : kind === "length"
    ? "max_tokens"
    : kind === "stop_sequence"
    ? "stop_sequence"
    : "end_turn";
}

/** Usage in Anthropic's terms: input without the cached part, which is counted apart. */
export function anthropicUsage(usage: ChatUsage): Record<string, number> {
  return {
    input_tokens: Math.max(0, usage.prompt_tokens - usage.cached_tokens),
    output_tokens: usage.completion_tokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: usage.cached_tokens,
  };
}

function event(name: string, data: Record<string, unknown>): string {
  return `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
}

/**
 * One streamed answer.
 *
 * @example
 * ```ts
 * const out = new AnthropicStream({ id: "msg_1", model: "qwen", inputTokens: 12, maxTokens: 64, stopSequences: [] });
 * write(out.start());
 * for (const e of reader.feed(chunk)) write(out.push(e));
 * write(out.end());
 * ```
 */
export class AnthropicStream {
  readonly #init: AnthropicStreamInit;
  #open: Block | null = null;
  #index = -1;
  #pendingSpace = "";
  #tools = new Map<number, number>();
  #finish: string | null = null;
  #stop: string | null = null;
  #usage: ChatUsage | null = null;
  #outputSeen = 0;
  /** True once the stream ended (a stop or an error): nothing more is written. */
  ended = false;

  constructor(init: AnthropicStreamInit) {
    this.#init = init;
  }

  /** `message_start`. */
  start(): string {
    return event("message_start", {
      message: {
        id: this.#init.id,
        type: "message",
        role: "assistant",
        model: this.#init.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: this.#init.inputTokens, output_tokens: 0 },
      },
    });
  }

  /** A keep-alive while the model loads or reads the prompt. */
  ping(): string {
    return this.ended ? "" : event("ping", {});
  }

  #close(): string {
    if (this.#open === null) return "";
    let out = "";
    if (this.#open === "thinking") {
      out += event("content_block_delta", {
        index: this.#index,
        delta: { type: "signature_delta", signature: THINKING_SIGNATURE },
      });
    }
    this.#open = null;
    return out + event("content_block_stop", { index: this.#index });
  }

  #begin(block: Block, contentBlock: Record<string, unknown>): string {
    const out = this.#close();
    this.#open = block;
    this.#index++;
    return out + event("content_block_start", { index: this.#index, content_block: contentBlock });
  }

  #text(text: string): string {
    let out = "";
    if (this.#open !== "text") {
      // Whitespace alone does not open a block: it may be all there is before a tool call.
      if (text.trim() === "") {
        this.#pendingSpace += text;
        return "";
      }
      out += this.#begin("text", { type: "text", text: "" });
      text = this.#pendingSpace + text;
      this.#pendingSpace = "";
    }
    return out + event("content_block_delta", { index: this.#index, delta: { type: "text_delta", text } });
  }

  /** The wire text for one chat event. */
  push(e: ChatEvent): string {
    if (this.ended) return "";
    switch (e.kind) {
      case "reasoning": {
        this.#outputSeen++;
        const out = this.#open === "thinking" ? "" : this.#begin("thinking", {
          type: "thinking",
          thinking: "",
          signature: "",
        });
        return out + event("content_block_delta", {
          index: this.#index,
          delta: { type: "thinking_delta", thinking: e.text },
        });
      }
      case "text":
        this.#outputSeen++;
        return this.#text(e.text);
      case "tool_start": {
        this.#outputSeen++;
        this.#pendingSpace = "";
        const out = this.#begin("tool_use", {
          type: "tool_use",
          id: toolUseId(e.id),
          name: e.name,
          input: {},
        });
        this.#tools.set(e.index, this.#index);
        return out;
      }
      case "tool_args": {
        const index = this.#tools.get(e.index);
        // Fragments of a call after another block opened cannot be placed: the call was already closed.
        if (index === undefined || index !== this.#index || this.#open !== "tool_use") return "";
        return event("content_block_delta", {
          index,
          delta: { type: "input_json_delta", partial_json: e.text },
        });
      }
      case "finish":
        this.#finish = e.reason;
        this.#stop = e.stop;
        return "";
      case "usage":
        this.#usage = e.usage;
        return "";
      case "error":
        return this.fail(e.error);
      case "done":
        return this.end();
    }
  }

  /** The closing events: the open block's stop, `message_delta` and `message_stop`. */
  end(): string {
    if (this.ended) return "";
    this.ended = true;
    const out = this.#close();
    const kind = stopKind({
      tools: this.#tools.size > 0,
      finish: this.#finish,
      stop: this.#stop,
      completionTokens: this.#usage?.completion_tokens ?? null,
    }, this.#init);
    const usage = this.#usage
      ? anthropicUsage(this.#usage)
      : { input_tokens: this.#init.inputTokens, output_tokens: this.#outputSeen };
    return out +
      event("message_delta", {
        delta: {
          stop_reason: anthropicStop(kind),
          stop_sequence: kind === "stop_sequence" ? this.#stop : null,
        },
        usage,
      }) +
      event("message_stop", {});
  }

  /** One `error` event; the stream ends with it. */
  fail(error: StreamError & { status?: number }): string {
    if (this.ended) return "";
    this.ended = true;
    const body = anthropicErrorBody(errorTypeFor(error.status ?? 500, error.code), error.message);
    return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
  }

  /** The usage the server reported, if any. */
  get usage(): ChatUsage | null {
    return this.#usage;
  }
}

/** A tool call id as Anthropic allows them (`^[a-zA-Z0-9_-]+$`). */
export function toolUseId(id: string): string {
  const clean = id.replace(/[^a-zA-Z0-9_-]/g, "_");
  return clean || `toolu_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
}
