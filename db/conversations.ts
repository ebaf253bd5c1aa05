/**
 * The `conversations` and `chat_messages` tables. Every query that reads or
 * changes a conversation takes the owner's id, so one user can never reach
 * another's conversations.
 *
 * @module
 */
import { type Db, statement } from "./mod.ts";
import type {
  Attachment,
  ConversationSummary,
  MessageMetrics,
  StoredMessage,
  ToolCall,
} from "../lib/chat/types.ts";
import { jsonOrNull, nullable, nullableJson, presentClauses } from "./rows.ts";

/** A conversation row with its system prompt. */
export interface ConversationRow extends ConversationSummary {
  user_id: number;
  system_prompt: string | null;
}

/** A message to insert. */
export interface NewMessage {
  role: StoredMessage["role"];
  content: string;
  reasoning?: string | null;
  reasoning_duration?: number | null;
  tool_calls?: ToolCall[] | null;
  tool_call_id?: string | null;
  name?: string | null;
  attachments?: Attachment[] | null;
  metrics?: MessageMetrics | null;
  error?: string | null;
  profile_id?: number | null;
  model?: string | null;
}

/** The settings of a conversation that its owner chooses (a missing one stays as it is). */
export interface ConversationSettings {
  systemPrompt?: string | null;
  profileId?: number | null;
  profileName?: string | null;
  model?: string | null;
}

type Row = Record<string, unknown>;

function toConversation(r: Row): ConversationRow {
  return {
    id: Number(r.id),
    user_id: Number(r.user_id),
    title: String(r.title),
    system_prompt: nullable(r.system_prompt, String),
    profile_id: nullable(r.profile_id, Number),
    profile_name: nullable(r.profile_name, String),
    model: nullable(r.model, String),
    message_count: Number(r.message_count ?? 0),
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

function toMessage(r: Row): StoredMessage {
  return {
    id: Number(r.id),
    position: Number(r.position),
    role: r.role as StoredMessage["role"],
    content: String(r.content),
    reasoning: nullable(r.reasoning, String),
    reasoning_duration: nullable(r.reasoning_duration, Number),
    tool_calls: nullableJson<ToolCall[]>(r.tool_calls),
    tool_call_id: nullable(r.tool_call_id, String),
    name: nullable(r.name, String),
    attachments: nullableJson<Attachment[]>(r.attachments),
    metrics: nullableJson<MessageMetrics>(r.metrics),
    error: nullable(r.error, String),
    profile_id: nullable(r.profile_id, Number),
    model: nullable(r.model, String),
    created_at: String(r.created_at),
  };
}

const SELECT_CONVERSATION = `SELECT c.*,
  (SELECT count(*) FROM chat_messages m WHERE m.conversation_id = c.id) AS message_count
  FROM conversations c`;

/**
 * Inserts a conversation and returns it.
 *
 * @example
 * ```ts
 * const c = insertConversation(db, { userId: 1, title: "Trip plans", now: now() });
 * ```
 */
export function insertConversation(
  db: Db,
  c: ConversationSettings & { userId: number; title: string; now: string },
): ConversationRow {
  const result = statement(
    db,
    `INSERT INTO conversations (user_id, title, system_prompt, profile_id, profile_name, model, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    c.userId,
    c.title,
    c.systemPrompt ?? null,
    c.profileId ?? null,
    c.profileName ?? null,
    c.model ?? null,
    c.now,
    c.now,
  );
  return findConversation(db, c.userId, Number(result.lastInsertRowid))!;
}

/**
 * A conversation of `userId`, or null when it does not exist or is someone else's.
 *
 * @example
 * ```ts
 * findConversation(db, user.id, 7)?.title; // "Trip plans", or undefined for another user's conversation
 * ```
 */
export function findConversation(db: Db, userId: number, id: number): ConversationRow | null {
  const row = statement(db, `${SELECT_CONVERSATION} WHERE c.id = ? AND c.user_id = ?`).get(id, userId);
  return row ? toConversation(row) : null;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** An FTS5 phrase matching `text` anywhere (the trigram tokenizer needs 3+ characters). */
function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function snippetOf(content: string, query: string): string {
  const at = content.toLowerCase().indexOf(query.toLowerCase());
  if (at < 0) return content.slice(0, 120);
  const start = Math.max(0, at - 40);
  const end = Math.min(content.length, at + query.length + 60);
  return `${start > 0 ? "…" : ""}${content.slice(start, end).replace(/\s+/g, " ")}${
    end < content.length ? "…" : ""
  }`;
}

/**
 * The conversations of `userId`, most recently active first; with `q`, only
 * those whose title or any message contains it (case-insensitive), each with
 * a snippet around the first hit.
 *
 * @example
 * ```ts
 * listConversations(db, user.id, { q: "tokyo", limit: 20 }); // [{ id, title, snippet: "…weather in Tokyo…", … }]
 * ```
 */
export function listConversations(
  db: Db,
  userId: number,
  options: { q?: string; limit?: number; offset?: number } = {},
): ConversationSummary[] {
  const q = options.q?.trim() ?? "";
  const limit = options.limit ?? 50;
  const offset = options.offset ?? 0;
  if (!q) {
    return statement(
      db,
      `${SELECT_CONVERSATION} WHERE c.user_id = ? ORDER BY c.updated_at DESC, c.id DESC
      LIMIT ? OFFSET ?`,
    ).all(userId, limit, offset).map(toConversation).map(summary);
  }
  const indexed = [...q].length >= 3;
  const hits = indexed
    ? "SELECT m.conversation_id FROM chat_messages_fts f JOIN chat_messages m ON m.id = f.rowid WHERE chat_messages_fts MATCH ?"
    : "SELECT m.conversation_id FROM chat_messages m WHERE m.content LIKE ? ESCAPE '\\'";
  const rows = statement(
    db,
    `${SELECT_CONVERSATION} WHERE c.user_id = ? AND (c.title LIKE ? ESCAPE '\\' OR c.id IN (${hits}))
     ORDER BY c.updated_at DESC, c.id DESC LIMIT ? OFFSET ?`,
  ).all(userId, likePattern(q), indexed ? ftsPhrase(q) : likePattern(q), limit, offset).map(toConversation);
  const firstHit = statement(
    db,
    `SELECT content FROM chat_messages WHERE conversation_id = ? AND content LIKE ? ESCAPE '\\'
     ORDER BY position LIMIT 1`,
  );
  return rows.map((c) => {
    const hit = firstHit.get(c.id, likePattern(q));
    return { ...summary(c), snippet: hit ? snippetOf(String(hit.content), q) : undefined };
  });
}

function summary(c: ConversationRow): ConversationSummary {
  const { user_id: _u, system_prompt: _s, ...rest } = c;
  return rest;
}

/** Changes a conversation's title, system prompt, profile or model, and bumps `updated_at`. */
export function updateConversation(
  db: Db,
  userId: number,
  id: number,
  changes: ConversationSettings & { title?: string; now: string },
): boolean {
  const { clauses, params } = presentClauses({
    "updated_at = ?": changes.now,
    "title = ?": changes.title,
    "system_prompt = ?": changes.systemPrompt,
    "profile_id = ?": changes.profileId,
    "profile_name = ?": changes.profileName,
    "model = ?": changes.model,
  });
  const result = statement(db, `UPDATE conversations SET ${clauses.join(", ")} WHERE id = ? AND user_id = ?`)
    .run(...params, id, userId);
  return Number(result.changes) > 0;
}

/**
 * Deletes a conversation and its messages; false when it is not the user's.
 *
 * @example
 * ```ts
 * if (!deleteConversation(db, user.id, id)) throw new AppError("not_found", "Conversation not found");
 * ```
 */
export function deleteConversation(db: Db, userId: number, id: number): boolean {
  const result = statement(db, "DELETE FROM conversations WHERE id = ? AND user_id = ?").run(id, userId);
  return Number(result.changes) > 0;
}

/** The messages of a conversation, in order. Check ownership first with {@link findConversation}. */
export function listMessages(db: Db, conversationId: number): StoredMessage[] {
  return statement(db, "SELECT * FROM chat_messages WHERE conversation_id = ? ORDER BY position")
    .all(conversationId).map(toMessage);
}

/** How many messages a conversation holds. */
export function countMessages(db: Db, conversationId: number): number {
  const row = statement(db, "SELECT count(*) AS n FROM chat_messages WHERE conversation_id = ?").get(
    conversationId,
  );
  return Number(row?.n ?? 0);
}

/** Deletes the messages at `fromPosition` and after. */
export function truncateMessages(db: Db, conversationId: number, fromPosition: number): void {
  statement(db, "DELETE FROM chat_messages WHERE conversation_id = ? AND position >= ?").run(
    conversationId,
    fromPosition,
  );
}

/**
 * Appends a message at the end of a conversation and returns it.
 *
 * @example
 * ```ts
 * appendMessage(db, conversationId, { role: "user", content: "Hello" }, now());
 * ```
 */
export function appendMessage(db: Db, conversationId: number, m: NewMessage, now: string): StoredMessage {
  const next = statement(
    db,
    "SELECT coalesce(max(position) + 1, 0) AS next FROM chat_messages WHERE conversation_id = ?",
  ).get(conversationId)!.next;
  const result = statement(
    db,
    `INSERT INTO chat_messages (conversation_id, position, role, content, reasoning, reasoning_duration, tool_calls,
       tool_call_id, name, attachments, metrics, error, profile_id, model, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    conversationId,
    Number(next),
    m.role,
    m.content,
    m.reasoning || null,
    m.reasoning_duration ?? null,
    m.tool_calls?.length ? jsonOrNull(m.tool_calls) : null,
    m.tool_call_id ?? null,
    m.name ?? null,
    m.attachments?.length ? jsonOrNull(m.attachments) : null,
    jsonOrNull(m.metrics),
    m.error ?? null,
    m.profile_id ?? null,
    m.model ?? null,
    now,
  );
  return toMessage(statement(db, "SELECT * FROM chat_messages WHERE id = ?").get(result.lastInsertRowid)!);
}
