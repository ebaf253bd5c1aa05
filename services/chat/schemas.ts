/**
 * Input schemas of the chat, tools and conversations APIs.
 *
 * The completion request is `profile_id`, `messages`, `tools` and
 * `tool_choice`, with optional fields beside them; messages are OpenAI's,
 * with optional `attachments` on user messages and `reasoning` on assistant
 * messages (kept when saving, never sent to the model).
 *
 * @module
 */
import { z } from "zod";

/** Most files one message may carry. */
export const MAX_ATTACHMENTS = 3;
/** Largest image (as a data URL) accepted per attachment. */
export const MAX_IMAGE_CHARS = 8 * 1024 * 1024;
/** Largest text file accepted per attachment. */
export const MAX_TEXT_CHARS = 512 * 1024;

/** A file attached to a user message. */
export const AttachmentInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("image"),
    name: z.string().trim().min(1, "Attachment name is required").max(255),
    mime: z.string().regex(/^image\/[\w.+-]+$/, "Images must have an image/* type"),
    data: z.string()
      .max(MAX_IMAGE_CHARS, "Image is too large: attach images under 6 MB")
      .regex(/^data:image\/[\w.+-]+;base64,[A-Za-z0-9+/=]+$/, "Images must be sent as base64 data URLs"),
  }),
  z.object({
    kind: z.literal("text"),
    name: z.string().trim().min(1, "Attachment name is required").max(255),
    mime: z.string().max(100).default("text/plain"),
    data: z.string().max(MAX_TEXT_CHARS, "Text file is too large: attach files under 512 KB"),
  }),
], { error: 'Attachment kind must be "image" or "text"' });

const ContentPart = z.looseObject({ type: z.string() });

/** One message of the conversation, in OpenAI's format plus the extensions above. */
export const MessageInput = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"], {
    error: "Role must be system, developer, user, assistant or tool",
  }),
  content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
  name: z.string().max(200).optional(),
  tool_calls: z.array(z.looseObject({})).max(64).optional().nullable(),
  tool_call_id: z.string().max(200).optional().nullable(),
  attachments: z.array(AttachmentInput).max(
    MAX_ATTACHMENTS,
    `Attach at most ${MAX_ATTACHMENTS} files per message`,
  )
    .optional().nullable(),
  reasoning: z.string().optional().nullable(),
  reasoning_duration: z.number().nonnegative().optional().nullable(),
});

/** A message as validated. */
export type MessageInput = z.output<typeof MessageInput>;

const ToolChoice = z.union([
  z.string().max(100),
  z.looseObject({ type: z.string() }),
]);

/** `POST /api/chat/completions`. */
export const ChatRequest = z.object({
  profile_id: z.number({ error: "profile_id must be a number" }).int().positive(),
  messages: z.array(MessageInput, { error: "messages must be a list" })
    .min(1, "Send at least one message")
    .max(200, "The conversation is too long: start a new one"),
  tools: z.array(z.looseObject({})).max(64).optional().nullable(),
  tool_choice: ToolChoice.optional().nullable(),
  temperature: z.number().min(0, "temperature must be between 0 and 2").max(
    2,
    "temperature must be between 0 and 2",
  )
    .optional().nullable(),
  top_p: z.number().gt(0, "top_p must be above 0 and at most 1").max(1, "top_p must be above 0 and at most 1")
    .optional().nullable(),
  max_tokens: z.number().int("max_tokens must be a whole number").positive("max_tokens must be above 0")
    .max(1_000_000).optional().nullable(),
  stop: z.union([z.string().max(200), z.array(z.string().max(200)).max(4, "Give at most 4 stop sequences")])
    .optional().nullable(),
  seed: z.number().int("seed must be a whole number").optional().nullable(),
  /** Save the turn into this conversation (yours), or into a new one when null and `save` is set. */
  conversation_id: z.number().int().positive().optional().nullable(),
  /** Save the turn; a new conversation is created when `conversation_id` is absent. @default false */
  save: z.boolean().optional(),
  /** Run the built-in tools on the server and continue the answer with their results. @default false */
  run_tools: z.boolean().optional(),
  /** MCP servers (ids; 0 is the built-in one) whose tools are offered to the model. */
  mcp_servers: z.array(
    z.number({ error: "mcp_servers must be a list of server ids" }).int().nonnegative(),
    { error: "mcp_servers must be a list of server ids" },
  ).max(50, "Pick at most 50 MCP servers").optional().nullable(),
});

/** A validated completion request. */
export type ChatRequest = z.output<typeof ChatRequest>;

/** `POST /api/mcp/execute`. */
export const ExecuteInput = z.object({
  name: z.string({ error: "name is required" }).min(1, "name is required").max(200),
  arguments: z.record(z.string(), z.unknown(), { error: "arguments must be an object" }),
});

/** A conversation title. */
export const Title = z.string({ error: "Title is required" }).trim()
  .min(1, "Title is required").max(200, "Title must be at most 200 characters");

/** `POST /api/conversations`. */
export const CreateConversationInput = z.object({
  title: Title.optional(),
  profile_id: z.number().int().positive().optional().nullable(),
  system_prompt: z.string().max(100_000).optional().nullable(),
});

/** `PATCH /api/conversations/:id`. */
export const UpdateConversationInput = z.object({
  title: Title.optional(),
  system_prompt: z.string().max(100_000).optional().nullable(),
}).refine((v) => v.title !== undefined || v.system_prompt !== undefined, "Send a title or a system_prompt");

/** `GET /api/conversations` query. */
export const ListConversationsQuery = z.object({
  q: z.string().max(200, "Search for at most 200 characters").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** `GET /api/conversations/:id/export` query. */
export const ExportQuery = z.object({
  format: z.enum(["md", "markdown", "json"], { error: 'format must be "md" or "json"' }).default("md"),
});
