/**
 * The chat protocol between the browser and `POST /api/chat/completions`,
 * and the shape of saved conversations. Browser-safe: the Chat island and the
 * chat service both import it.
 *
 * The event types and their fields (`thinking`, `thinking_done`, `response`,
 * `tool_call`, `tool_calls_done`, `error`, `done`) are fixed, since clients
 * read them; everything else is added beside them, never changed.
 *
 * @module
 */

/** A tool call as OpenAI sends it once merged: `arguments` is a JSON string. */
export interface ToolCall {
  index: number;
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** Token counts and timings of one answer. */
export interface MessageMetrics {
  /** Milliseconds from sending the request upstream to the first token. */
  ttft_ms: number | null;
  /** Completion tokens per second, measured from the first token to the last. */
  tokens_per_second: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  /** Milliseconds from sending the request to the end of the answer. */
  duration_ms: number | null;
  /** True when the token count is an estimate (the server sent no usage). */
  estimated?: boolean;
  /** True when the answer was stopped before the model finished. */
  stopped?: boolean;
}

/** A file attached to a user message, kept with it for later turns. */
export interface Attachment {
  name: string;
  /** `image` is sent as an `image_url` part; `text` as a text part "[File: name]". */
  kind: "image" | "text";
  mime: string;
  /** A `data:` URL for images, the file's text for text files. */
  data: string;
}

/** Every event the chat stream sends, as `data: {json}` lines. */
export type ChatEvent =
  /** Added: the conversation this turn is saved in (sent first when saving). */
  | { type: "conversation"; id: number; title: string }
  | { type: "thinking"; content: string }
  | { type: "thinking_done"; duration: number }
  | { type: "response"; content: string }
  /** One call, its deltas merged (a merged call is a valid delta too, so a client that merges deltas reads it). */
  | { type: "tool_call"; tool_call: ToolCall }
  | { type: "tool_calls_done" }
  /** Added: the result of a tool run by the server's tool loop (built-in or MCP). */
  | {
    type: "tool_result";
    tool_call_id: string;
    name: string;
    content: string;
    /** The MCP server that ran it (absent for built-in tools). */
    server?: string;
    /** True when the tool failed, timed out, or the user declined it. */
    is_error?: boolean;
    /** True when the output was cut to the limit. */
    truncated?: boolean;
  }
  /** Added: an MCP tool call waits for `POST /api/chat/tool-confirmations/{tool_call_id}`. */
  | {
    type: "tool_confirm";
    tool_call_id: string;
    /** The function name the model called. */
    name: string;
    /** The tool's own name on its server. */
    tool: string;
    /** The server's name. */
    server: string;
    server_id: number;
    arguments: Record<string, unknown>;
    /** Seconds before no answer counts as a refusal. */
    timeout: number;
  }
  /** Added: timings and token counts of the answer that just ended (one per round). */
  | { type: "metrics"; metrics: MessageMetrics; profile_id: number; model: string }
  /** Added: the tool loop hit its limit and stopped. */
  | { type: "tool_limit"; rounds: number }
  /**
   * Added: the turn waits for its server before anything is sent: the server
   * is starting (`starting`), or every one of its slots is taken (`queued`).
   */
  | { type: "waiting"; reason: WaitReason; content: string }
  /**
   * Added: the model asked for tools this turn did not run, because tools
   * are off (`tools_off`) or no tool offered this turn has that name
   * (`unavailable`); `names` are the tools asked for. The turn ends after it.
   */
  | { type: "tool_calls_not_run"; reason: NotRunReason; names: string[] }
  | { type: "error"; content: string }
  | { type: "done" };

/** Why a turn waits before its first round: see the `waiting` event. */
export type WaitReason = "starting" | "queued";

/** Why the model's tool calls were not run: see the `tool_calls_not_run` event. */
export type NotRunReason = "tools_off" | "unavailable";

/** The type names of {@link ChatEvent}. */
export type ChatEventType = ChatEvent["type"];

/** A message of a saved conversation. */
export interface StoredMessage {
  id: number;
  position: number;
  role: "user" | "assistant" | "tool";
  content: string;
  reasoning: string | null;
  /** Seconds of reasoning, when known. */
  reasoning_duration: number | null;
  tool_calls: ToolCall[] | null;
  tool_call_id: string | null;
  /** The tool's name on `tool` messages. */
  name: string | null;
  attachments: Attachment[] | null;
  metrics: MessageMetrics | null;
  /** Why the answer ended early, if it did. */
  error: string | null;
  profile_id: number | null;
  model: string | null;
  created_at: string;
}

/** A conversation in the history list. */
export interface ConversationSummary {
  id: number;
  title: string;
  profile_id: number | null;
  profile_name: string | null;
  model: string | null;
  message_count: number;
  created_at: string;
  updated_at: string;
  /** The matching text around a search hit. */
  snippet?: string;
}

/** A conversation with its messages. */
export interface Conversation extends ConversationSummary {
  system_prompt: string | null;
  messages: StoredMessage[];
}

/** A profile the chat can talk to, as the Chat page lists it. */
export interface ChatTargetInfo {
  profile_id: number;
  name: string;
  model: string;
  model_type: "lm" | "multimodal" | string;
  system_prompt: string | null;
  /** `running` can take requests; `starting` is loading; anything else is stopped or failed. */
  state: string;
}
