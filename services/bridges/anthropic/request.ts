/**
 * An Anthropic Messages request as a chat completions request. Pure.
 *
 * - `system` (a string or text blocks) and every `role: "system"` entry of
 *   `messages` become one leading system message: chat templates refuse a
 *   system message that is not first.
 * - User blocks: text, images (base64 and URL) as `image_url` parts, text
 *   documents as text (a PDF or a file reference as a note saying it was left
 *   out), `tool_result` as `tool` messages before the user's text (string or
 *   blocks; `is_error` results are given as `Error: …`).
 * - Assistant blocks: text, `tool_use` as `tool_calls` (with `content: ""`
 *   when there is no text), `thinking` as `reasoning_content` (the model's own
 *   earlier reasoning); `redacted_thinking` is dropped.
 * - `tools` with `input_schema` become function tools (server tools such as
 *   `web_search_…` are dropped); `tool_choice` auto/any/tool/none become
 *   auto/required/named/none (auto when unset), `disable_parallel_tool_use` turns
 *   parallel calls off; `stop_sequences` becomes `stop`;
 *   `thinking: {type: "disabled"}` turns the template's thinking off.
 * - What cannot be honoured (`metadata`, `cache_control`, `context_management`,
 *   `output_config`, `defer_loading`, other thinking settings, …) is accepted
 *   and ignored.
 *
 * @module
 */
import { z } from "zod";
import { badRequest } from "../../gateway/errors.ts";
import { joinTexts, parseBody } from "../validate.ts";

const Block = z.looseObject({ type: z.string() });
const Content = z.union([z.string(), z.array(Block)]);

const fields = {
  model: z.string().trim().min(1),
  messages: z.array(z.looseObject({ role: z.enum(["user", "assistant", "system"]), content: Content })).min(
    1,
  ),
  system: Content.optional(),
  tools: z.array(z.looseObject({
    name: z.string().min(1),
    type: z.string().optional(),
    description: z.string().optional(),
    input_schema: z.record(z.string(), z.unknown()).optional(),
  })).optional(),
  tool_choice: z.looseObject({
    type: z.enum(["auto", "any", "tool", "none"]),
    name: z.string().optional(),
  }).optional(),
  thinking: z.looseObject({ type: z.string() }).optional(),
};

/** The body of `POST /v1/messages`. */
export const MessagesBody = z.looseObject({
  ...fields,
  max_tokens: z.int().min(1),
  stop_sequences: z.array(z.string()).max(64).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.int().min(0).optional(),
  stream: z.boolean().optional(),
});

/** A read `POST /v1/messages` body. */
export type MessagesRequest = z.output<typeof MessagesBody>;

/** The body of `POST /v1/messages/count_tokens`. */
export const CountTokensBody = z.looseObject(fields);

/** A read `POST /v1/messages/count_tokens` body. */
export type CountTokensRequest = z.output<typeof CountTokensBody>;

type Part = Record<string, unknown>;
type ChatMessage = Record<string, unknown>;

function text(value: unknown, where: string): string {
  if (typeof value !== "string") {
    throw badRequest("invalid_request", `${where}: text must be a string`, where);
  }
  return value;
}

function image(block: Part, where: string): Part {
  const source = block.source as Record<string, unknown> | undefined;
  if (source?.type === "base64" && typeof source.data === "string" && typeof source.media_type === "string") {
    return { type: "image_url", image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  }
  if (source?.type === "url" && typeof source.url === "string") {
    return { type: "image_url", image_url: { url: source.url } };
  }
  throw badRequest(
    "invalid_request",
    `${where}.source: an image takes a base64 source (media_type, data) or a url source`,
    `${where}.source`,
  );
}

function documentText(block: Part): string {
  const source = (block.source ?? {}) as Record<string, unknown>;
  const title = typeof block.title === "string" && block.title ? `${block.title}\n\n` : "";
  if (source.type === "text" && typeof source.data === "string") return title + source.data;
  if (source.type === "content" && Array.isArray(source.content)) {
    return title + joinTexts(source.content.map((b) => typeof b?.text === "string" ? b.text : ""));
  }
  return `${title}[A ${String(source.media_type ?? source.type ?? "document")} document was left out: ` +
    "this model reads text documents only]";
}

/** Text and image parts of user content (`tool_result`s are taken out by the caller). */
function userParts(blocks: readonly Part[], where: string): Part[] {
  const parts: Part[] = [];
  blocks.forEach((block, i) => {
    const at = `${where}.${i}`;
    if (block.type === "text") parts.push({ type: "text", text: text(block.text, at) });
    else if (block.type === "image") parts.push(image(block, at));
    else if (block.type === "document") parts.push({ type: "text", text: documentText(block) });
    else if (block.type === "search_result" && Array.isArray(block.content)) {
      parts.push({ type: "text", text: joinTexts(block.content.map((b) => String(b?.text ?? ""))) });
    }
    // Thinking in a user turn, server tool results and the like have no chat form.
  });
  return parts;
}

/** Chat content: a plain string when there are only texts (every template reads that). */
function content(parts: Part[]): string | Part[] {
  if (parts.every((p) => p.type === "text")) return joinTexts(parts.map((p) => p.text as string));
  return parts;
}

function toolResult(block: Part, where: string): ChatMessage[] {
  if (typeof block.tool_use_id !== "string" || block.tool_use_id === "") {
    throw badRequest(
      "invalid_request",
      `${where}.tool_use_id: a tool_result needs the tool_use_id it answers`,
    );
  }
  const raw = block.content;
  const parts = typeof raw === "string"
    ? [{ type: "text", text: raw }]
    : Array.isArray(raw)
    ? userParts(raw as Part[], `${where}.content`)
    : [];
  const texts = parts.filter((p) => p.type === "text").map((p) => p.text as string);
  const body = joinTexts(texts);
  const out: ChatMessage[] = [{
    role: "tool",
    tool_call_id: block.tool_use_id,
    content: block.is_error === true ? `Error: ${body}` : body,
  }];
  // A tool message carries text only: the images it returned follow as the user's.
  const images = parts.filter((p) => p.type !== "text");
  if (images.length) out.push({ role: "user", content: images });
  return out;
}

function assistant(blocks: readonly Part[], where: string): ChatMessage {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const calls: Part[] = [];
  blocks.forEach((block, i) => {
    const at = `${where}.${i}`;
    if (block.type === "text") texts.push(text(block.text, at));
    else if (block.type === "thinking" && typeof block.thinking === "string") reasoning.push(block.thinking);
    else if (block.type === "tool_use" || block.type === "server_tool_use") {
      if (typeof block.id !== "string" || typeof block.name !== "string") {
        throw badRequest("invalid_request", `${at}: a tool_use needs an id and a name`, at);
      }
      const input = block.input ?? {};
      calls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: JSON.stringify(input) },
      });
    }
  });
  const message: ChatMessage = { role: "assistant", content: texts.join("") };
  if (calls.length) message.tool_calls = calls;
  if (reasoning.length) message.reasoning_content = reasoning.join("\n");
  return message;
}

function systemText(system: MessagesRequest["system"], where: string): string {
  if (system === undefined) return "";
  if (typeof system === "string") return system;
  return joinTexts(system.filter((b) => b.type === "text").map((b, i) => text(b.text, `${where}.${i}`)));
}

/** The chat messages of an Anthropic conversation, with its system text first. */
export function chatMessages(body: Pick<MessagesRequest, "system" | "messages">): ChatMessage[] {
  const system: string[] = [systemText(body.system, "system")];
  const messages: ChatMessage[] = [];
  body.messages.forEach((message, i) => {
    const where = `messages.${i}.content`;
    const blocks: Part[] = typeof message.content === "string"
      ? [{ type: "text", text: message.content }]
      : message.content;
    if (message.role === "system") {
      system.push(systemText(blocks as MessagesRequest["system"], where));
      return;
    }
    if (message.role === "assistant") {
      messages.push(assistant(blocks, where));
      return;
    }
    // Tool results answer the assistant turn before: they come first.
    for (const [j, block] of blocks.entries()) {
      if (block.type === "tool_result") messages.push(...toolResult(block, `${where}.${j}`));
    }
    const parts = userParts(blocks.filter((b) => b.type !== "tool_result"), where)
      .filter((p) => p.type !== "text" || p.text !== "");
    if (parts.length) messages.push({ role: "user", content: content(parts) });
    else if (!blocks.some((b) => b.type === "tool_result")) {
      throw badRequest("invalid_request", `${where}: a user message needs non-empty content`, where);
    }
  });
  const leading = joinTexts(system);
  return leading ? [{ role: "system", content: leading }, ...messages] : messages;
}

/** The function tools of a request (server tools have a dated `type` and no local form). */
export function chatTools(tools: MessagesRequest["tools"]): Part[] | undefined {
  const client = (tools ?? []).filter((t) => t.type === undefined || t.type === "custom");
  if (client.length === 0) return undefined;
  return client.map((t) => ({
    type: "function",
    function: {
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      parameters: t.input_schema ?? { type: "object", properties: {} },
    },
  }));
}

function toolChoice(choice: MessagesRequest["tool_choice"]): unknown {
  if (!choice) return undefined;
  if (choice.type === "any") return "required";
  if (choice.type === "tool") {
    if (!choice.name) throw badRequest("invalid_request", "tool_choice.name: a tool choice names the tool");
    return { type: "function", function: { name: choice.name } };
  }
  return choice.type;
}

/**
 * Reads a `POST /v1/messages` body and builds the chat request for it.
 *
 * @throws {GatewayError} 400 for a body the protocol does not allow
 * @example
 * ```ts
 * const { chat, request } = toChatRequest({ model: "qwen", max_tokens: 64, messages: [{ role: "user", content: "Hi" }] });
 * // chat = { model: "qwen", messages: [{ role: "user", content: "Hi" }], max_tokens: 64 }
 * ```
 */
export function toChatRequest(raw: unknown): { chat: Record<string, unknown>; request: MessagesRequest } {
  const request = parseBody(MessagesBody, raw);
  const chat: Record<string, unknown> = {
    model: request.model,
    messages: chatMessages(request),
    max_tokens: request.max_tokens,
  };
  const tools = chatTools(request.tools);
  if (tools) {
    chat.tools = tools;
    // Anthropic's default; a chat server's own default may be "none" (mlx-openai-server 1.8).
    chat.tool_choice = toolChoice(request.tool_choice) ?? "auto";
    if (request.tool_choice?.disable_parallel_tool_use === true) chat.parallel_tool_calls = false;
  }
  if (request.stop_sequences?.length) chat.stop = request.stop_sequences;
  for (const key of ["temperature", "top_p", "top_k"] as const) {
    if (request[key] !== undefined) chat[key] = request[key];
  }
  if (request.thinking?.type === "disabled") chat.chat_template_kwargs = { enable_thinking: false };
  if (request.stream) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return { chat, request };
}
