/**
 * The Responses API's response object: its fixed fields from the request,
 * the output items, `output_text`, status and usage; and a chat completion
 * turned into one. Pure.
 *
 * @module
 */
import { type ChatUsage, readUsage, stopKind } from "../chat_events.ts";
import type { Item, ResponsesRequest } from "./request.ts";

/** What every response object of one request repeats. */
export interface ResponseBase {
  id: string;
  createdAt: number;
  /** The model name the client asked for. */
  model: string;
  request: ResponsesRequest;
}

/** A short random id with a prefix (`msg_…`, `fc_…`, `rs_…`, `resp_…`). */
export function itemId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
}

/** Usage in the Responses API's terms (Codex requires `total_tokens`). */
export function responsesUsage(usage: ChatUsage | null, fallbackOutput = 0): Record<string, unknown> {
  const input = usage?.prompt_tokens ?? 0;
  const output = usage?.completion_tokens ?? fallbackOutput;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage?.cached_tokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

/** The concatenated text of the output's messages. */
export function outputText(output: readonly Item[]): string {
  return output.filter((i) => i.type === "message").flatMap((i) => i.content as Item[])
    .filter((p) => p.type === "output_text").map((p) => p.text).join("");
}

/** A response object in `status`. */
export function responseObject(
  base: ResponseBase,
  state: {
    status: "in_progress" | "completed" | "incomplete" | "failed";
    output: Item[];
    usage?: Record<string, unknown> | null;
    error?: { code: string; message: string } | null;
  },
): Record<string, unknown> {
  const r = base.request;
  return {
    id: base.id,
    object: "response",
    created_at: base.createdAt,
    status: state.status,
    error: state.error ?? null,
    incomplete_details: state.status === "incomplete" ? { reason: "max_output_tokens" } : null,
    instructions: r.instructions ?? null,
    max_output_tokens: r.max_output_tokens ?? null,
    model: base.model,
    output: state.output,
    output_text: outputText(state.output),
    parallel_tool_calls: r.parallel_tool_calls ?? true,
    previous_response_id: r.previous_response_id ?? null,
    reasoning: r.reasoning ?? null,
    store: r.store !== false,
    temperature: r.temperature ?? null,
    text: r.text ?? { format: { type: "text" } },
    tool_choice: r.tool_choice ?? "auto",
    tools: r.tools ?? [],
    top_p: r.top_p ?? null,
    truncation: "disabled",
    usage: state.usage ?? null,
    metadata: (r as Record<string, unknown>).metadata ?? {},
  };
}

/** A finished message item. */
export function messageItem(id: string, text: string, status = "completed"): Item {
  return {
    type: "message",
    id,
    status,
    role: "assistant",
    content: [{ type: "output_text", text, annotations: [] }],
  };
}

/** A finished reasoning item with the server's reasoning text. */
export function reasoningItem(id: string, text: string): Item {
  return { type: "reasoning", id, summary: [], content: [{ type: "reasoning_text", text }] };
}

/** A finished function call item. */
export function functionCallItem(
  id: string,
  callId: string,
  name: string,
  args: string,
  status = "completed",
): Item {
  return { type: "function_call", id, call_id: callId, name, arguments: args, status };
}

/**
 * The response object for a chat completion.
 *
 * @example
 * ```ts
 * toResponse({ choices: [{ message: { content: "Hi" } }], usage: { prompt_tokens: 3, completion_tokens: 1 } }, base);
 * // { id, object: "response", status: "completed", output: [{ type: "message", … }], output_text: "Hi", usage: { …, total_tokens: 4 } }
 * ```
 */
export function toResponse(completion: Record<string, unknown>, base: ResponseBase): Record<string, unknown> {
  const choice = (Array.isArray(completion.choices) ? completion.choices[0] : null) as Item | null;
  const message = (choice?.message ?? {}) as Item;
  const output: Item[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === "string" && reasoning !== "") output.push(reasoningItem(itemId("rs"), reasoning));
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls as Item[] : [];
  const text = typeof message.content === "string" ? message.content : "";
  if (text.trim() !== "" || (text !== "" && calls.length === 0)) {
    output.push(messageItem(itemId("msg"), text));
  }
  for (const call of calls) {
    const fn = (call.function ?? {}) as Item;
    output.push(functionCallItem(
      itemId("fc"),
      typeof call.id === "string" && call.id ? call.id : itemId("call"),
      String(fn.name ?? ""),
      typeof fn.arguments === "string" ? fn.arguments : "{}",
    ));
  }
  const usage = readUsage(completion.usage);
  const kind = stopKind({
    tools: calls.length > 0,
    finish: typeof choice?.finish_reason === "string" ? choice.finish_reason : null,
    stop: null,
    completionTokens: usage?.completion_tokens ?? null,
  }, { maxTokens: base.request.max_output_tokens ?? null, stopSequences: [] });
  return responseObject(base, {
    status: kind === "length" ? "incomplete" : "completed",
    output,
    usage: responsesUsage(usage),
  });
}
