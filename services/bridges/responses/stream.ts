/**
 * A chat stream as the Responses API's event stream: `response.created`,
 * `response.in_progress`, then per output item (reasoning, message, function
 * call, in the order they come, each with its own `output_index`) its
 * `output_item.added`, deltas, `.done` events and `output_item.done`, then
 * `response.completed` (or `response.incomplete` at the output limit) with
 * the whole output and usage. A failure is one `response.failed`, and nothing
 * follows it. Every event has an increasing `sequence_number`. Pure: events
 * in, wire text out.
 *
 * @module
 */
import { type ChatEvent, type ChatUsage, stopKind, type StreamError } from "../chat_events.ts";
import type { Item } from "./request.ts";
import {
  functionCallItem,
  itemId,
  messageItem,
  reasoningItem,
  type ResponseBase,
  responseObject,
  responsesUsage,
} from "./object.ts";

interface OpenItem {
  kind: "reasoning" | "message" | "function_call";
  index: number;
  id: string;
  text: string;
  callId?: string;
  name?: string;
}

/**
 * One streamed response.
 *
 * @example
 * ```ts
 * const out = new ResponsesStream(base);
 * write(out.start());
 * for (const e of reader.feed(chunk)) write(out.push(e));
 * write(out.end());
 * out.final; // the response object, to store
 * ```
 */
export class ResponsesStream {
  readonly #base: ResponseBase;
  readonly #output: Item[] = [];
  readonly #calls = new Map<number, OpenItem>();
  #seq = 0;
  #open: OpenItem | null = null;
  #pendingSpace = "";
  #finish: string | null = null;
  #usage: ChatUsage | null = null;
  #deltas = 0;
  /** The final response object once the stream ended. */
  final: Record<string, unknown> | null = null;

  constructor(base: ResponseBase) {
    this.#base = base;
  }

  /** True once the stream ended: nothing more is written. */
  get ended(): boolean {
    return this.final !== null;
  }

  /** The usage the server reported, if any. */
  get usage(): ChatUsage | null {
    return this.#usage;
  }

  #event(type: string, data: Record<string, unknown>): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.#seq++, ...data })}\n\n`;
  }

  /** `response.created` and `response.in_progress`. */
  start(): string {
    const response = responseObject(this.#base, { status: "in_progress", output: [] });
    return this.#event("response.created", { response }) + this.#event("response.in_progress", { response });
  }

  /** A keep-alive comment while the model loads or reads the prompt. */
  ping(): string {
    return this.ended ? "" : ": keep-alive\n\n";
  }

  #close(): string {
    const item = this.#open;
    if (!item) return "";
    this.#open = null;
    const at = { item_id: item.id, output_index: item.index };
    let out = "";
    let done: Item;
    if (item.kind === "reasoning") {
      out += this.#event("response.reasoning_text.done", { ...at, content_index: 0, text: item.text });
      done = reasoningItem(item.id, item.text);
    } else if (item.kind === "message") {
      const part = { type: "output_text", text: item.text, annotations: [] };
      out += this.#event("response.output_text.done", {
        ...at,
        content_index: 0,
        text: item.text,
        logprobs: [],
      });
      out += this.#event("response.content_part.done", { ...at, content_index: 0, part });
      done = messageItem(item.id, item.text);
    } else {
      out += this.#event("response.function_call_arguments.done", { ...at, arguments: item.text });
      done = functionCallItem(item.id, item.callId!, item.name!, item.text);
    }
    this.#output[item.index] = done;
    return out + this.#event("response.output_item.done", { output_index: item.index, item: done });
  }

  #begin(item: Omit<OpenItem, "index" | "text">, added: Item): string {
    const out = this.#close();
    const open: OpenItem = { ...item, index: this.#output.length, text: "" };
    this.#output.push(added);
    this.#open = open;
    return out + this.#event("response.output_item.added", { output_index: open.index, item: added });
  }

  #text(text: string): string {
    let out = "";
    if (this.#open?.kind !== "message") {
      // Whitespace alone opens no message: it may be all there is before a tool call.
      if (text.trim() === "") {
        this.#pendingSpace += text;
        return "";
      }
      const id = itemId("msg");
      out += this.#begin({ kind: "message", id }, {
        type: "message",
        id,
        status: "in_progress",
        role: "assistant",
        content: [],
      });
      out += this.#event("response.content_part.added", {
        item_id: id,
        output_index: this.#open!.index,
        content_index: 0,
        part: { type: "output_text", text: "", annotations: [] },
      });
      text = this.#pendingSpace + text;
      this.#pendingSpace = "";
    }
    const open = this.#open!;
    open.text += text;
    return out + this.#event("response.output_text.delta", {
      item_id: open.id,
      output_index: open.index,
      content_index: 0,
      delta: text,
      logprobs: [],
    });
  }

  /** The wire text for one chat event. */
  push(e: ChatEvent): string {
    if (this.ended) return "";
    switch (e.kind) {
      case "reasoning": {
        this.#deltas++;
        let out = "";
        if (this.#open?.kind !== "reasoning") {
          const id = itemId("rs");
          out = this.#begin({ kind: "reasoning", id }, { type: "reasoning", id, summary: [], content: [] });
        }
        const open = this.#open!;
        open.text += e.text;
        return out + this.#event("response.reasoning_text.delta", {
          item_id: open.id,
          output_index: open.index,
          content_index: 0,
          delta: e.text,
        });
      }
      case "text":
        this.#deltas++;
        return this.#text(e.text);
      case "tool_start": {
        this.#deltas++;
        this.#pendingSpace = "";
        const id = itemId("fc");
        const out = this.#begin(
          { kind: "function_call", id, callId: e.id, name: e.name },
          functionCallItem(id, e.id, e.name, "", "in_progress"),
        );
        this.#calls.set(e.index, this.#open!);
        return out;
      }
      case "tool_args": {
        const call = this.#calls.get(e.index);
        if (!call || call !== this.#open) return "";
        call.text += e.text;
        return this.#event("response.function_call_arguments.delta", {
          item_id: call.id,
          output_index: call.index,
          delta: e.text,
        });
      }
      case "finish":
        this.#finish = e.reason;
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

  /** The open item's closing events and `response.completed` (or `.incomplete`). */
  end(): string {
    if (this.ended) return "";
    const out = this.#close();
    const kind = stopKind({
      tools: this.#calls.size > 0,
      finish: this.#finish,
      stop: null,
      completionTokens: this.#usage?.completion_tokens ?? null,
    }, { maxTokens: this.#base.request.max_output_tokens ?? null, stopSequences: [] });
    const status = kind === "length" ? "incomplete" : "completed";
    this.final = responseObject(this.#base, {
      status,
      output: this.#output,
      usage: responsesUsage(this.#usage, this.#deltas),
    });
    return out + this.#event(`response.${status}`, { response: this.final });
  }

  /** One `response.failed`; the stream ends with it. */
  fail(error: StreamError): string {
    if (this.ended) return "";
    // The item the failure cut short is not part of the output.
    const cut = this.#open?.index ?? -1;
    this.#open = null;
    this.final = responseObject(this.#base, {
      status: "failed",
      output: this.#output.filter((_, i) => i !== cut),
      usage: responsesUsage(this.#usage, this.#deltas),
      error: {
        code: error.code && !/^\d+$/.test(error.code) ? error.code : "server_error",
        message: error.message,
      },
    });
    return this.#event("response.failed", { response: this.final });
  }
}
