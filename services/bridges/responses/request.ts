/**
 * An OpenAI Responses request as a chat completions request. Pure.
 *
 * - `instructions` and every `system` or `developer` item become one leading
 *   system message (chat templates refuse a system message that is not first).
 * - Message items (user, assistant, system, developer; `input_text`,
 *   `output_text`, `input_image` parts), `function_call` items (merged with
 *   the assistant text before them into one assistant turn, `content: ""`
 *   when there is none), `function_call_output` items as `tool` messages,
 *   `custom_tool_call(_output)` likewise; `reasoning` items become the next
 *   assistant turn's `reasoning_content` (encrypted content is dropped);
 *   other items (web search calls, compaction, references) are skipped.
 * - Function tools (flat `name`/`parameters`) become chat tools; tools of
 *   other types (`web_search`, `namespace`, `custom`, …) are dropped from what
 *   the model sees.
 * - `tool_choice`, `parallel_tool_calls`, `max_output_tokens`, `temperature`,
 *   `top_p`, `text.format` (json_schema → `response_format`) and
 *   `reasoning.effort` none/minimal (thinking off) are mapped; `store`,
 *   `include`, `prompt_cache_key`, `client_metadata`, `metadata`, … are
 *   accepted and ignored.
 *
 * @module
 */
import { z } from "zod";
import { badRequest } from "../../gateway/errors.ts";
import { joinTexts, parseBody } from "../validate.ts";

const Item = z.looseObject({ type: z.string().optional(), role: z.string().optional() });

/** The body of `POST /v1/responses`. */
export const ResponsesBody = z.looseObject({
  model: z.string().trim().min(1),
  input: z.union([z.string(), z.array(Item)]),
  instructions: z.string().nullish(),
  tools: z.array(z.looseObject({ type: z.string(), name: z.string().optional() })).nullish(),
  tool_choice: z.union([
    z.enum(["none", "auto", "required"]),
    z.looseObject({ type: z.string(), name: z.string().optional() }),
  ]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: z.int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stream: z.boolean().nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().min(1).max(200).nullish(),
  text: z.looseObject({ format: z.looseObject({ type: z.string() }).optional() }).nullish(),
  reasoning: z.looseObject({ effort: z.string().nullish() }).nullish(),
});

/** A read `POST /v1/responses` body. */
export type ResponsesRequest = z.output<typeof ResponsesBody>;

/** One input or output item, as stored. */
export type Item = Record<string, unknown>;

/** Reads a `POST /v1/responses` body. @throws {GatewayError} 400 */
export function readResponsesRequest(raw: unknown): ResponsesRequest {
  return parseBody(ResponsesBody, raw);
}

/** The request's input as a list of items (a string is one user message). */
export function inputItems(request: ResponsesRequest): Item[] {
  return typeof request.input === "string"
    ? [{ type: "message", role: "user", content: request.input }]
    : request.input as Item[];
}

type ChatMessage = Record<string, unknown>;

function partsOf(content: unknown, where: string, images: boolean): Record<string, unknown>[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  if (!Array.isArray(content)) {
    throw badRequest("invalid_request", `${where}: content must be a string or a list of parts`, where);
  }
  const parts: Record<string, unknown>[] = [];
  content.forEach((part, i) => {
    const at = `${where}.${i}`;
    const type = part?.type;
    if (type === "input_text" || type === "output_text" || type === "text" || type === "summary_text") {
      if (typeof part.text !== "string") {
        throw badRequest("invalid_request", `${at}.text must be a string`, at);
      }
      parts.push({ type: "text", text: part.text });
    } else if (type === "refusal" && typeof part.refusal === "string") {
      parts.push({ type: "text", text: part.refusal });
    } else if (type === "input_image") {
      const url = typeof part.image_url === "string" ? part.image_url : part.image_url?.url;
      if (typeof url !== "string") {
        throw badRequest(
          "invalid_request",
          `${at}: an input_image takes an image_url (a URL or data URL)`,
          at,
        );
      }
      if (images) parts.push({ type: "image_url", image_url: { url } });
    } else if (type === "input_file") {
      throw badRequest("invalid_request", `${at}: input_file is not supported; send the file's text`, at);
    }
  });
  return parts;
}

function textOf(parts: Record<string, unknown>[]): string {
  return joinTexts(parts.filter((p) => p.type === "text").map((p) => p.text as string));
}

function str(item: Item, key: string, where: string): string {
  const value = item[key];
  if (typeof value !== "string" || value === "") {
    throw badRequest("invalid_request", `${where}.${key}: required`, `${where}.${key}`);
  }
  return value;
}

function outputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (Array.isArray(output)) return textOf(partsOf(output, "output", false));
  return output === undefined || output === null ? "" : JSON.stringify(output);
}

/** The chat messages of a list of items, with the system text (instructions first) leading. */
export function chatMessages(items: readonly Item[], instructions: string | null | undefined): ChatMessage[] {
  const system: string[] = [instructions ?? ""];
  const messages: ChatMessage[] = [];
  let reasoning: string[] = [];
  // The assistant turn that later calls and text join, until another role speaks.
  let turn: ChatMessage | null = null;
  const assistantTurn = (): ChatMessage => {
    if (!turn) {
      turn = { role: "assistant", content: "" };
      messages.push(turn);
    }
    if (reasoning.length) {
      turn.reasoning_content = joinTexts([String(turn.reasoning_content ?? ""), ...reasoning]);
      reasoning = [];
    }
    return turn;
  };
  const call = (id: string, name: string, args: string) => {
    const t = assistantTurn();
    t.tool_calls = [...(t.tool_calls as unknown[] ?? []), {
      id,
      type: "function",
      function: { name, arguments: args },
    }];
  };
  items.forEach((item, i) => {
    const where = `input.${i}`;
    const type = item.type ?? (item.role ? "message" : undefined);
    if (type === "message") {
      const role = item.role;
      if (role === "system" || role === "developer") {
        system.push(textOf(partsOf(item.content, `${where}.content`, false)));
      } else if (role === "assistant") {
        const t = assistantTurn();
        t.content = String(t.content) + textOf(partsOf(item.content, `${where}.content`, false));
      } else if (role === "user") {
        turn = null;
        const parts = partsOf(item.content, `${where}.content`, true);
        const images = parts.some((p) => p.type !== "text");
        messages.push({ role: "user", content: images ? parts : textOf(parts) });
      } else {
        throw badRequest(
          "invalid_request",
          `${where}.role: must be user, assistant, system or developer`,
          `${where}.role`,
        );
      }
    } else if (type === "function_call") {
      call(str(item, "call_id", where), str(item, "name", where), String(item.arguments ?? "{}"));
    } else if (type === "custom_tool_call") {
      call(str(item, "call_id", where), str(item, "name", where), String(item.input ?? ""));
    } else if (type === "function_call_output" || type === "custom_tool_call_output") {
      turn = null;
      messages.push({
        role: "tool",
        tool_call_id: str(item, "call_id", where),
        content: outputText(item.output),
      });
    } else if (type === "reasoning") {
      const texts = [
        ...(Array.isArray(item.summary) ? item.summary : []),
        ...(Array.isArray(item.content) ? item.content : []),
      ]
        .map((p) => typeof p?.text === "string" ? p.text : "");
      if (texts.some((t) => t)) reasoning.push(joinTexts(texts));
    } else if (type === undefined) {
      throw badRequest("invalid_request", `${where}: an item needs a type`, where);
    }
    // Web search calls, compaction and other items have no chat form.
  });
  const leading = joinTexts(system);
  return leading ? [{ role: "system", content: leading }, ...messages] : messages;
}

/** The function tools a model can see (flat Responses tools, nested for chat). */
export function chatTools(tools: ResponsesRequest["tools"]): Record<string, unknown>[] {
  return (tools ?? []).filter((t) => t.type === "function" && typeof t.name === "string" && t.name)
    .map((t) => ({
      type: "function",
      function: {
        name: t.name,
        ...(typeof t.description === "string" ? { description: t.description } : {}),
        parameters: t.parameters && typeof t.parameters === "object"
          ? t.parameters
          : { type: "object", properties: {} },
        ...(typeof t.strict === "boolean" ? { strict: t.strict } : {}),
      },
    }));
}

function toolChoice(choice: ResponsesRequest["tool_choice"]): unknown {
  if (choice === undefined || choice === null) return undefined;
  if (typeof choice === "string") return choice;
  if (choice.type === "function" && choice.name) return { type: "function", function: { name: choice.name } };
  return "auto";
}

function responseFormat(format: Record<string, unknown> | undefined): unknown {
  if (format?.type === "json_schema") {
    return {
      type: "json_schema",
      json_schema: {
        name: typeof format.name === "string" ? format.name : "response",
        schema: format.schema ?? {},
        ...(typeof format.strict === "boolean" ? { strict: format.strict } : {}),
      },
    };
  }
  if (format?.type === "json_object") return { type: "json_object" };
  return undefined;
}

/**
 * The chat request for a Responses request, after the stored turns it
 * continues (`history`: the earlier inputs and outputs, oldest first).
 *
 * @example
 * ```ts
 * toChatRequest(readResponsesRequest({ model: "qwen", input: "Hi", instructions: "Be brief" }), []);
 * // { model: "qwen", messages: [{ role: "system", content: "Be brief" }, { role: "user", content: "Hi" }] }
 * ```
 */
export function toChatRequest(request: ResponsesRequest, history: readonly Item[]): Record<string, unknown> {
  const chat: Record<string, unknown> = {
    model: request.model,
    messages: chatMessages([...history, ...inputItems(request)], request.instructions),
  };
  const tools = chatTools(request.tools);
  if (tools.length) {
    chat.tools = tools;
    // The Responses API's default; a chat server's own default may be "none" (mlx-openai-server 1.8).
    chat.tool_choice = toolChoice(request.tool_choice) ?? "auto";
    if (typeof request.parallel_tool_calls === "boolean") {
      chat.parallel_tool_calls = request.parallel_tool_calls;
    }
  }
  if (request.max_output_tokens) chat.max_tokens = request.max_output_tokens;
  if (typeof request.temperature === "number") chat.temperature = request.temperature;
  if (typeof request.top_p === "number") chat.top_p = request.top_p;
  const format = responseFormat(request.text?.format);
  if (format) chat.response_format = format;
  const effort = request.reasoning?.effort;
  if (effort === "none" || effort === "minimal") chat.chat_template_kwargs = { enable_thinking: false };
  if (request.stream) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return chat;
}
