/**
 * Browser side of the chat: the message model the Chat page keeps, building
 * the request's history from it, reading the event stream, and turning
 * picked files into attachments. Browser-safe.
 *
 * @module
 */
import type {
  Attachment,
  ChatEvent,
  MessageMetrics,
  NotRunReason,
  StoredMessage,
  ToolCall,
} from "./types.ts";
import { SseDataDecoder } from "./sse_decoder.ts";

/** A message as the Chat page shows it. */
export interface UiMessage {
  /** A stable key for rendering. */
  key: string;
  role: "user" | "assistant" | "tool";
  content: string;
  reasoning: string;
  reasoning_duration: number | null;
  tool_calls: ToolCall[];
  tool_call_id: string | null;
  name: string | null;
  attachments: Attachment[];
  metrics: MessageMetrics | null;
  error: string | null;
  model: string | null;
  /** True while the answer is arriving. */
  streaming: boolean;
  /** Why nothing has arrived yet (the server is starting, or busy), while the turn waits. */
  status: string | null;
  /**
   * The tool calls of this answer that were not run, and why (`stored`: a
   * saved answer whose calls have no results).
   */
  not_run: { reason: NotRunReason | "stored"; names: string[] } | null;
}

let counter = 0;

/** A new empty message. */
export function uiMessage(role: UiMessage["role"], fields: Partial<UiMessage> = {}): UiMessage {
  return {
    key: `m${++counter}`,
    role,
    content: "",
    reasoning: "",
    reasoning_duration: null,
    tool_calls: [],
    tool_call_id: null,
    name: null,
    attachments: [],
    metrics: null,
    error: null,
    model: null,
    streaming: false,
    status: null,
    not_run: null,
    ...fields,
  };
}

/**
 * Saved messages as the page shows them: an answer whose tool calls have no
 * result after it is marked as not run, so a reopened conversation says so too.
 *
 * @example
 * ```ts
 * fromStoredList(conversation.messages).at(-1)?.not_run; // { reason: "stored", names: ["get_weather"] }
 * ```
 */
export function fromStoredList(messages: StoredMessage[]): UiMessage[] {
  const answered = new Set(messages.map((m) => m.tool_call_id).filter((id) => id !== null));
  return messages.map((m) => {
    const message = fromStored(m);
    const unanswered = message.tool_calls.filter((c) => !answered.has(c.id));
    if (message.role === "assistant" && unanswered.length && !message.error) {
      message.not_run = { reason: "stored", names: [...new Set(unanswered.map((c) => c.function.name))] };
    }
    return message;
  });
}

/** A saved message as the page shows it. */
export function fromStored(m: StoredMessage): UiMessage {
  return uiMessage(m.role, {
    content: m.content,
    reasoning: m.reasoning ?? "",
    reasoning_duration: m.reasoning_duration,
    tool_calls: m.tool_calls ?? [],
    tool_call_id: m.tool_call_id,
    name: m.name,
    attachments: m.attachments ?? [],
    metrics: m.metrics,
    error: m.error,
    model: m.model,
  });
}

/**
 * The `messages` of a request: the system prompt, then every turn with its
 * attachments (kept for later turns), tool calls and tool results.
 *
 * @example
 * ```ts
 * requestMessages("Be brief", [uiMessage("user", { content: "Hi" })]);
 * // [{role:"system", content:"Be brief"}, {role:"user", content:"Hi"}]
 * ```
 */
export function requestMessages(systemPrompt: string, messages: UiMessage[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (systemPrompt.trim()) out.push({ role: "system", content: systemPrompt });
  for (const m of messages) {
    if (m.role === "user") {
      out.push(
        m.attachments.length ? { role: "user", content: m.content, attachments: m.attachments } : {
          role: "user",
          content: m.content,
        },
      );
    } else if (m.role === "assistant") {
      const message: Record<string, unknown> = { role: "assistant", content: m.content };
      if (m.tool_calls.length) message.tool_calls = m.tool_calls;
      if (m.reasoning) {
        message.reasoning = m.reasoning;
        message.reasoning_duration = m.reasoning_duration;
      }
      out.push(message);
    } else {
      out.push({
        role: "tool",
        content: m.content,
        tool_call_id: m.tool_call_id ?? "",
        name: m.name ?? undefined,
      });
    }
  }
  return out;
}

/**
 * Posts a chat request and calls `onEvent` for each event until the stream
 * ends. Throws for an error answer before the stream (with the server's
 * message) and rethrows an abort.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * await streamChat({ profile_id: 1, messages }, (event) => applyEvent(turn, event), stop.signal);
 * ```
 */
export async function streamChat(
  body: Record<string, unknown>,
  onEvent: (event: ChatEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch("/api/chat/completions", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(body),
    signal,
  });
  if (response.status === 401) {
    location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
  }
  if (!response.ok) {
    let detail = `Request failed (${response.status})`;
    try {
      const data = await response.json();
      if (typeof data?.detail === "string") detail = data.detail;
    } catch { /* keep the status */ }
    throw new Error(detail);
  }
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const decoder = new SseDataDecoder();
  try {
    while (true) {
      const { value, done } = await reader.read();
      for (const payload of done ? decoder.end() : decoder.push(value)) {
        try {
          onEvent(JSON.parse(payload) as ChatEvent);
        } catch (error) {
          if (error instanceof SyntaxError) continue;
          throw error;
        }
      }
      if (done) return;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** Most files one message may carry. */
export const MAX_ATTACHMENTS = 3;
const MAX_IMAGE_BYTES = 6 * 1024 * 1024;
const MAX_TEXT_BYTES = 512 * 1024;

/** Extensions read as text files. */
export const TEXT_EXTENSIONS = [
  "txt",
  "md",
  "markdown",
  "csv",
  "tsv",
  "json",
  "jsonl",
  "xml",
  "yaml",
  "yml",
  "toml",
  "ini",
  "conf",
  "cfg",
  "log",
  "py",
  "js",
  "mjs",
  "ts",
  "tsx",
  "jsx",
  "html",
  "css",
  "sh",
  "zsh",
  "sql",
  "rs",
  "go",
  "c",
  "h",
  "cpp",
  "java",
  "kt",
  "swift",
  "rb",
  "php",
  "diff",
  "patch",
];
const TEXT_NAMES = ["readme", "license", "makefile", "dockerfile", "changelog", ".gitignore", ".env.example"];

/**
 * Whether a file name looks like a text file.
 *
 * @example
 * ```ts
 * isTextFile("notes.md"); // true
 * isTextFile("photo.png"); // false
 * ```
 */
export function isTextFile(name: string): boolean {
  const lower = name.toLowerCase();
  if (TEXT_NAMES.includes(lower)) return true;
  const dot = lower.lastIndexOf(".");
  return dot > 0 && TEXT_EXTENSIONS.includes(lower.slice(dot + 1));
}

/** The `accept` attribute of the file picker. */
export function acceptedFiles(multimodal: boolean): string {
  const text = TEXT_EXTENSIONS.map((e) => `.${e}`).join(",");
  return multimodal ? `image/png,image/jpeg,image/gif,image/webp,${text}` : text;
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("Cannot read the file"));
    reader.readAsDataURL(file);
  });
}

/**
 * Reads a picked file into an attachment, or returns why it cannot be attached.
 *
 * @example
 * ```ts
 * const result = await readAttachment(file, target.model_type === "multimodal");
 * if (typeof result === "string") toast(result, "error");
 * ```
 */
export async function readAttachment(file: File, multimodal: boolean): Promise<Attachment | string> {
  if (file.type.startsWith("image/")) {
    if (!multimodal) {
      return `${file.name}: this model reads text only; pick a multimodal profile to send images`;
    }
    if (file.size > MAX_IMAGE_BYTES) return `${file.name} is too large: attach images under 6 MB`;
    return { kind: "image", name: file.name, mime: file.type, data: await readAsDataUrl(file) };
  }
  if (!isTextFile(file.name) && !file.type.startsWith("text/")) {
    return `${file.name}: unsupported file type; attach text files${multimodal ? " or images" : ""}`;
  }
  if (file.size > MAX_TEXT_BYTES) return `${file.name} is too large: attach text files under 512 KB`;
  return { kind: "text", name: file.name, mime: file.type || "text/plain", data: await file.text() };
}

/**
 * The metrics of a message in one line.
 *
 * @example
 * ```ts
 * metricsLine({ ttft_ms: 120, tokens_per_second: 45.2, prompt_tokens: 14, completion_tokens: 87, … });
 * // "TTFT 120 ms · 45.2 tok/s · 14 in · 87 out"
 * ```
 */
export function metricsLine(m: MessageMetrics): string {
  const parts: string[] = [];
  if (m.ttft_ms !== null) {
    parts.push(`TTFT ${m.ttft_ms < 1000 ? `${m.ttft_ms} ms` : `${(m.ttft_ms / 1000).toFixed(1)} s`}`);
  }
  if (m.tokens_per_second !== null) parts.push(`${m.tokens_per_second.toFixed(1)} tok/s`);
  if (m.prompt_tokens !== null) parts.push(`${m.prompt_tokens} in`);
  if (m.completion_tokens !== null) parts.push(`${m.estimated ? "~" : ""}${m.completion_tokens} out`);
  return parts.join(" · ");
}
