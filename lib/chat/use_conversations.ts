/**
 * The Chat page's saved conversations: the list (searched as the reader
 * types), renaming and deleting.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import type { ConversationSummary } from "./types.ts";
import { api, errorMessage } from "../client/api.ts";
import { toast } from "../client/toast.ts";

/** How long typing pauses before the search runs. */
const SEARCH_DELAY_MS = 250;

/**
 * The saved conversations, starting from `initial`.
 *
 * @example
 * ```tsx
 * const saved = useConversations(props.conversations);
 * <HistorySidebar conversations={saved.list.value} query={saved.query.value} onQuery={saved.search} … />
 * ```
 */
export function useConversations(initial: ConversationSummary[]) {
  const list = useSignal(initial);
  const query = useSignal("");
  const timer = useRef<ReturnType<typeof setTimeout>>();

  async function refresh() {
    try {
      const q = query.value.trim();
      list.value = await api<ConversationSummary[]>(
        `/api/conversations${q ? `?q=${encodeURIComponent(q)}` : ""}`,
      );
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  return {
    list,
    query,
    refresh,
    search(q: string) {
      query.value = q;
      clearTimeout(timer.current);
      timer.current = setTimeout(refresh, SEARCH_DELAY_MS);
    },
    /** Renames a conversation, calls `renamed`, then reloads the list; a failure is a toast. */
    async rename(c: ConversationSummary, title: string, renamed: () => void): Promise<void> {
      try {
        await api(`/api/conversations/${c.id}`, { method: "PATCH", body: { title } });
        renamed();
        await refresh();
      } catch (error) {
        toast(errorMessage(error), "error");
      }
    },
    /** Deletes a conversation, calls `deleted`, then reloads the list; a failure is a toast. */
    async remove(c: ConversationSummary, deleted: () => void): Promise<void> {
      try {
        await api(`/api/conversations/${c.id}`, { method: "DELETE" });
        deleted();
        await refresh();
        toast("Conversation deleted", "success");
      } catch (error) {
        toast(errorMessage(error), "error");
      }
    },
  };
}
