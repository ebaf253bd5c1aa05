/**
 * Builds the messages and body sent to the model server from a chat request:
 * `developer` becomes `system` (the server rejects it), attachments become
 * content parts on every turn that carries them, saved reasoning stays out,
 * and assistant tool-call turns get `""` content (the server drops `null`).
 *
 * @module
 */
import type { Attachment } from "../../lib/chat/types.ts";
import type { ChatRequest, MessageInput } from "./schemas.ts";

/** A message in the OpenAI shape the server reads. */
export type UpstreamMessage = Record<string, unknown>;

function textOf(content: MessageInput["content"]): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.filter((p) => p.type === "text" && typeof p.text === "string").map((p) => p.text).join("\n");
}

function attachmentParts(attachments: Attachment[], multimodal: boolean): Record<string, unknown>[] {
  return attachments.map((a) => {
    if (a.kind === "text") return { type: "text", text: `[File: ${a.name}]\n${a.data}` };
    if (multimodal) return { type: "image_url", image_url: { url: a.data } };
    return { type: "text", text: `[Image ${a.name} left out: this model reads text only]` };
  });
}

/**
 * Converts request messages for the model server.
 *
 * @example
 * ```ts
 * toUpstreamMessages([{ role: "developer", content: "Be brief" }], false);
 * // [{ role: "system", content: "Be brief" }]
 * ```
 */
export function toUpstreamMessages(messages: MessageInput[], multimodal: boolean): UpstreamMessage[] {
  const out: UpstreamMessage[] = [];
  for (const m of messages) {
    const role = m.role === "developer" ? "system" : m.role;
    if (role === "user") {
      const attachments = (m.attachments ?? []) as Attachment[];
      if (!attachments.length) {
        out.push({ role, content: Array.isArray(m.content) && multimodal ? m.content : textOf(m.content) });
        continue;
      }
      const base = Array.isArray(m.content) ? m.content : [{ type: "text", text: textOf(m.content) }];
      const parts = [...base, ...attachmentParts(attachments, multimodal)];
      out.push({
        role,
        content: multimodal ? parts : parts.map((p) => String(p.text ?? "")).filter(Boolean).join("\n\n"),
      });
    } else if (role === "assistant") {
      const content = textOf(m.content);
      const calls = m.tool_calls?.length ? m.tool_calls : undefined;
      // An assistant turn with nothing in it (a failed answer) would only confuse the model.
      if (!content && !calls) continue;
      out.push(calls ? { role, content, tool_calls: calls } : { role, content });
    } else if (role === "tool") {
      const message: UpstreamMessage = {
        role,
        content: textOf(m.content),
        tool_call_id: m.tool_call_id ?? "",
      };
      if (m.name) message.name = m.name;
      out.push(message);
    } else {
      out.push({ role, content: textOf(m.content) });
    }
  }
  return out;
}

/**
 * The sampling and tool fields of a request, as the server reads them.
 *
 * @example
 * ```ts
 * upstreamOptions({ profile_id: 1, messages, temperature: 0.2, tools });
 * // { temperature: 0.2, tools, tool_choice: "auto", stream_options: { include_usage: true } }
 * ```
 */
export function upstreamOptions(request: ChatRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of ["temperature", "top_p", "max_tokens", "seed"] as const) {
    if (request[key] !== undefined && request[key] !== null) body[key] = request[key];
  }
  if (request.stop !== undefined && request.stop !== null && request.stop.length) body.stop = request.stop;
  if (request.tools?.length) {
    body.tools = request.tools;
    body.tool_choice = request.tool_choice ?? "auto";
  }
  // Ignored by mlx-openai-server 1.5 (it always reports usage); other servers need it.
  body.stream_options = { include_usage: true };
  return body;
}
