/**
 * Saved conversations: listing, search, rename, delete, export, and syncing
 * a chat turn into storage. Every call takes the owner's id; a conversation
 * of someone else is "not found".
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import { now, transaction } from "../../db/mod.ts";
import {
  appendMessage,
  countMessages,
  deleteConversation,
  findConversation,
  insertConversation,
  listConversations,
  listMessages,
  type NewMessage,
  truncateMessages,
  updateConversation,
} from "../../db/conversations.ts";
import { AppError } from "../../lib/errors.ts";
import type { Attachment, Conversation, ConversationSummary, StoredMessage } from "../../lib/chat/types.ts";
import type { MessageInput } from "./schemas.ts";

/**
 * A title from the first words of a message.
 *
 * @example
 * ```ts
 * titleFrom("  What is the   weather in Tokyo?"); // "What is the weather in Tokyo?"
 * ```
 */
export function titleFrom(text: string): string {
  const words = text.replace(/\s+/g, " ").trim();
  if (!words) return "New chat";
  return words.length <= 60 ? words : `${words.slice(0, 57).replace(/\s+\S*$/, "")}…`;
}

function contentText(content: MessageInput["content"]): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.filter((p) => p.type === "text" && typeof p.text === "string").map((p) => p.text).join("\n");
}

/** A request message as it is saved. */
export function toNewMessage(m: MessageInput): NewMessage {
  const role = m.role === "tool" ? "tool" : m.role === "assistant" ? "assistant" : "user";
  return {
    role,
    content: contentText(m.content),
    reasoning: m.reasoning ?? null,
    reasoning_duration: m.reasoning_duration ?? null,
    tool_calls: (m.tool_calls as NewMessage["tool_calls"]) ?? null,
    tool_call_id: m.tool_call_id ?? null,
    name: m.name ?? null,
    attachments: (m.attachments as Attachment[] | null | undefined) ?? null,
  };
}

// Someone else's conversation is answered the same as a missing one, so ids reveal nothing.
function notFound(): AppError {
  return new AppError("not_found", "Conversation not found");
}

/**
 * The conversations store.
 *
 * @example
 * ```ts
 * const conversations = new Conversations(db);
 * const c = conversations.create(userId, { title: "Ideas" });
 * conversations.rename(userId, c.id, "Better ideas");
 * ```
 */
export class Conversations {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The user's conversations, newest activity first, optionally filtered by text. */
  list(userId: number, options: { q?: string; limit?: number; offset?: number } = {}): ConversationSummary[] {
    return listConversations(this.#db, userId, options);
  }

  /** One conversation of the user with its messages, or null when it does not exist or is someone else's. */
  find(userId: number, id: number): Conversation | null {
    const row = findConversation(this.#db, userId, id);
    if (!row) return null;
    const { user_id: _u, ...rest } = row;
    return { ...rest, messages: listMessages(this.#db, id) };
  }

  /** One conversation with its messages; throws `not_found` when the user has no such conversation. */
  get(userId: number, id: number): Conversation {
    const conversation = this.find(userId, id);
    if (!conversation) throw notFound();
    return conversation;
  }

  /** Checks that the conversation exists and is the user's (`not_found` otherwise). */
  assertOwned(userId: number, id: number): void {
    if (!findConversation(this.#db, userId, id)) throw notFound();
  }

  /** Creates an empty conversation. */
  create(
    userId: number,
    input: {
      title?: string;
      systemPrompt?: string | null;
      profileId?: number | null;
      profileName?: string | null;
      model?: string | null;
    },
  ): Conversation {
    const row = insertConversation(this.#db, {
      userId,
      ...input,
      // After the spread: a title given as undefined still gets the default.
      title: input.title ?? "New chat",
      now: now(),
    });
    return this.get(userId, row.id);
  }

  /** Renames a conversation and/or changes its system prompt. */
  update(
    userId: number,
    id: number,
    changes: { title?: string; systemPrompt?: string | null },
  ): Conversation {
    if (!updateConversation(this.#db, userId, id, { ...changes, now: now() })) {
      throw notFound();
    }
    return this.get(userId, id);
  }

  /** Deletes a conversation. */
  remove(userId: number, id: number): void {
    if (!deleteConversation(this.#db, userId, id)) throw notFound();
  }

  /**
   * Makes the saved conversation match the history of a request: messages
   * already saved at a position are kept as they are (with their reasoning
   * and metrics), saved messages beyond the history are removed (regenerate),
   * and new ones are appended. The system prompt and profile are updated.
   */
  syncHistory(
    userId: number,
    id: number,
    history: MessageInput[],
    meta: { systemPrompt: string | null; profileId: number; profileName: string; model: string },
  ): void {
    transaction(this.#db, () => {
      this.assertOwned(userId, id);
      const turns = history.filter((m) => m.role !== "system" && m.role !== "developer");
      // Counted, not read: the history is the client's, only its new tail is written.
      const saved = countMessages(this.#db, id);
      if (saved > turns.length) truncateMessages(this.#db, id, turns.length);
      const stamp = now();
      for (const m of turns.slice(saved)) appendMessage(this.#db, id, toNewMessage(m), stamp);
      updateConversation(this.#db, userId, id, {
        systemPrompt: meta.systemPrompt,
        profileId: meta.profileId,
        profileName: meta.profileName,
        model: meta.model,
        now: stamp,
      });
    });
  }

  /** Appends a message the server produced (an answer or a tool result). */
  append(userId: number, id: number, message: NewMessage): StoredMessage | null {
    return transaction(this.#db, () => {
      if (!findConversation(this.#db, userId, id)) return null; // deleted while the answer streamed
      const stamp = now();
      const saved = appendMessage(this.#db, id, message, stamp);
      updateConversation(this.#db, userId, id, { now: stamp });
      return saved;
    });
  }
}
