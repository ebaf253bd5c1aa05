/**
 * Conversation export as Markdown (for reading and sharing) and as JSON (the
 * complete record, attachments included).
 *
 * @module
 */
import type { Conversation, StoredMessage } from "../../lib/chat/types.ts";

/** The `format` tag of a JSON export. */
export const EXPORT_FORMAT = "mlx-manager.conversation";

/**
 * A file name for the export: the title in lower-case words, safe on every system.
 *
 * @example
 * ```ts
 * exportFileName({ id: 7, title: "Trip: Tokyo/Kyoto", … }, "md"); // "trip-tokyo-kyoto-7.md"
 * ```
 */
export function exportFileName(conversation: Conversation, extension: "md" | "json"): string {
  const slug = conversation.title.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "").slice(0, 60) || "conversation";
  return `${slug}-${conversation.id}.${extension}`;
}

/** The longest run of backticks in `text`, so a fence around it can be longer. */
function fence(text: string, lang = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function metricsLine(m: StoredMessage): string | null {
  const x = m.metrics;
  if (!x) return null;
  const parts: string[] = [];
  if (m.model) parts.push(m.model);
  if (x.ttft_ms !== null) parts.push(`time to first token ${Math.round(x.ttft_ms)} ms`);
  if (x.tokens_per_second !== null) parts.push(`${x.tokens_per_second.toFixed(1)} tokens/s`);
  if (x.prompt_tokens !== null || x.completion_tokens !== null) {
    parts.push(`${x.prompt_tokens ?? "?"} prompt + ${x.completion_tokens ?? "?"} completion tokens`);
  }
  if (x.stopped) parts.push("stopped");
  return parts.length ? `*${parts.join(" · ")}*` : null;
}

function messageMarkdown(m: StoredMessage): string {
  const out: string[] = [];
  if (m.role === "user") {
    out.push("## User", "", m.content);
    for (const a of m.attachments ?? []) {
      out.push(
        "",
        a.kind === "text"
          ? `**Attached file ${a.name}:**\n\n${fence(a.data)}`
          : `*Attached image: ${a.name}*`,
      );
    }
  } else if (m.role === "assistant") {
    out.push("## Assistant", "");
    if (m.reasoning) {
      const label = m.reasoning_duration !== null ? `Thinking (${m.reasoning_duration} s)` : "Thinking";
      out.push(`> **${label}**`, ">", ...m.reasoning.split("\n").map((l) => `> ${l}`.trimEnd()), "");
    }
    if (m.content) out.push(m.content);
    for (const call of m.tool_calls ?? []) {
      out.push(
        "",
        `**Tool call:** \`${call.function.name}\``,
        "",
        fence(prettyJson(call.function.arguments), "json"),
      );
    }
    if (m.error) out.push("", `> **Error:** ${m.error}`);
    const metrics = metricsLine(m);
    if (metrics) out.push("", metrics);
  } else {
    out.push(`## Tool result${m.name ? ` (${m.name})` : ""}`, "", fence(prettyJson(m.content), "json"));
  }
  return out.join("\n");
}

/**
 * The conversation as a Markdown document.
 *
 * @example
 * ```ts
 * const text = toMarkdown(conversation); // "# Trip plans\n\n- Model: …"
 * ```
 */
export function toMarkdown(conversation: Conversation, exportedAt = new Date().toISOString()): string {
  const head = [`# ${conversation.title}`, ""];
  if (conversation.model) {
    head.push(
      `- Model: ${conversation.model}${conversation.profile_name ? ` (${conversation.profile_name})` : ""}`,
    );
  }
  head.push(`- Started: ${conversation.created_at}`, `- Exported: ${exportedAt}`);
  const sections = [head.join("\n")];
  if (conversation.system_prompt) sections.push(`## System\n\n${conversation.system_prompt}`);
  for (const m of conversation.messages) sections.push(messageMarkdown(m));
  return `${sections.join("\n\n")}\n`;
}

/** The conversation as a JSON document, with a format tag and version. */
export function toJsonExport(conversation: Conversation, exportedAt = new Date().toISOString()): string {
  const { messages, ...meta } = conversation;
  return JSON.stringify(
    {
      format: EXPORT_FORMAT,
      version: 1,
      exported_at: exportedAt,
      conversation: meta,
      messages: messages.map(({ id: _id, ...m }) => m),
    },
    null,
    2,
  );
}
