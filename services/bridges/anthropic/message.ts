/**
 * A chat completion as an Anthropic message: `thinking` (from the server's
 * `reasoning_content`), then `text`, then one `tool_use` per call with its
 * arguments parsed into `input`; the stop reason and usage in Anthropic's
 * terms. Pure.
 *
 * @module
 */
import { parseArguments, readUsage, stopKind } from "../chat_events.ts";
import { anthropicStop, anthropicUsage, THINKING_SIGNATURE, toolUseId } from "./stream.ts";

/** What the message says about the request. */
export interface MessageContext {
  id: string;
  model: string;
  maxTokens: number | null;
  stopSequences: readonly string[];
}

/**
 * The message for a chat completion.
 *
 * @example
 * ```ts
 * toAnthropicMessage({ choices: [{ message: { content: "Hi" }, finish_reason: "stop" }] }, { id: "msg_1", model: "qwen", maxTokens: 64, stopSequences: [] });
 * // { id: "msg_1", type: "message", role: "assistant", content: [{ type: "text", text: "Hi" }], stop_reason: "end_turn", … }
 * ```
 */
export function toAnthropicMessage(
  completion: Record<string, unknown>,
  ctx: MessageContext,
): Record<string, unknown> {
  const choice = (Array.isArray(completion.choices) ? completion.choices[0] : null) as
    | Record<string, unknown>
    | null;
  const message = (choice?.message ?? {}) as Record<string, unknown>;
  const content: Record<string, unknown>[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === "string" && reasoning !== "") {
    content.push({ type: "thinking", thinking: reasoning, signature: THINKING_SIGNATURE });
  }
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls as Record<string, unknown>[] : [];
  const text = typeof message.content === "string" ? message.content : "";
  if (text.trim() !== "" || (text !== "" && calls.length === 0)) content.push({ type: "text", text });
  for (const call of calls) {
    const fn = (call.function ?? {}) as Record<string, unknown>;
    content.push({
      type: "tool_use",
      id: toolUseId(typeof call.id === "string" ? call.id : ""),
      name: typeof fn.name === "string" ? fn.name : "",
      input: parseArguments(typeof fn.arguments === "string" ? fn.arguments : ""),
    });
  }
  const usage = readUsage(completion.usage);
  const stop = typeof choice?.stop_reason === "string" ? choice.stop_reason : null;
  const kind = stopKind({
    tools: calls.length > 0,
    finish: typeof choice?.finish_reason === "string" ? choice.finish_reason : null,
    stop,
    completionTokens: usage?.completion_tokens ?? null,
  }, ctx);
  return {
    id: ctx.id,
    type: "message",
    role: "assistant",
    model: ctx.model,
    content,
    stop_reason: anthropicStop(kind),
    stop_sequence: kind === "stop_sequence" ? stop : null,
    usage: usage ? anthropicUsage(usage) : { input_tokens: 0, output_tokens: 0 },
  };
}
