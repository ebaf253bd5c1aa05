/**
 * Turns an MCP tool result into the content of an OpenAI `tool` message:
 * text items joined, embedded text resources included, images, audio and
 * binary resources described (a tool message carries text only), links named,
 * structured content written as JSON when there is no text, errors marked,
 * and the whole cut at a limit with a note saying so.
 *
 * @module
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** The content for the model and what the UI shows about it. */
export interface ToolOutput {
  content: string;
  isError: boolean;
  truncated: boolean;
}

function size(base64: string): string {
  const bytes = Math.floor(base64.length * 3 / 4);
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

/**
 * Cuts `text` to `limit` characters, adding a note with the original length.
 *
 * @example
 * ```ts
 * limitText("abcdef", 3); // { text: "abc\n[output truncated: 3 of 6 characters shown]", truncated: true }
 * ```
 */
export function limitText(text: string, limit: number): { text: string; truncated: boolean } {
  if (text.length <= limit) return { text, truncated: false };
  return {
    text: `${text.slice(0, limit)}\n[output truncated: ${limit} of ${text.length} characters shown]`,
    truncated: true,
  };
}

/**
 * The tool message content of a result.
 *
 * @example
 * ```ts
 * toolOutput({ content: [{ type: "text", text: "hi" }] }, 100_000); // { content: "hi", isError: false, truncated: false }
 * ```
 */
export function toolOutput(result: CallToolResult, limit: number): ToolOutput {
  const parts: string[] = [];
  for (const item of result.content ?? []) {
    if (item.type === "text") parts.push(item.text);
    else if (item.type === "image") parts.push(`[image: ${item.mimeType}, ${size(item.data)}]`);
    else if (item.type === "audio") parts.push(`[audio: ${item.mimeType}, ${size(item.data)}]`);
    else if (item.type === "resource_link") {
      parts.push(`[resource: ${item.uri}${item.name && item.name !== item.uri ? ` (${item.name})` : ""}]`);
    } else if (item.type === "resource") {
      const r = item.resource;
      if ("text" in r && typeof r.text === "string") parts.push(`[resource: ${r.uri}]\n${r.text}`);
      else parts.push(`[resource: ${r.uri}, ${r.mimeType ?? "binary"}, ${size(String(r.blob ?? ""))}]`);
    }
  }
  if (!parts.length && result.structuredContent !== undefined) {
    parts.push(JSON.stringify(result.structuredContent));
  }
  const isError = result.isError === true;
  const text = parts.join("\n");
  const body = isError ? `Error: ${text || "the tool failed without saying why"}` : text;
  const cut = limitText(body, limit);
  return { content: cut.text, isError, truncated: cut.truncated };
}
