import type { ConversationSummary } from "../../lib/chat/types.ts";

/** Props of {@link HistorySidebar}. */
export interface HistorySidebarProps {
  conversations: ConversationSummary[];
  activeId: number | null;
  query: string;
  /** Shown as an overlay on small screens. */
  open: boolean;
  onQuery: (q: string) => void;
  onOpen: (id: number) => void;
  onNew: () => void;
  onRename: (c: ConversationSummary) => void;
  onDelete: (c: ConversationSummary) => void;
  onClose: () => void;
}

function when(iso: string): string {
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString()
    ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : d.toLocaleDateString();
}

/** Saved conversations: search, open, rename, delete, export. */
export function HistorySidebar(props: HistorySidebarProps) {
  const { conversations, activeId } = props;
  return (
    <aside
      class={`${
        props.open ? "fixed inset-x-0 bottom-0 top-14 z-20 flex p-3" : "hidden"
      } w-full flex-col gap-2 bg-slate-50 md:static md:z-auto md:flex md:w-72 md:shrink-0 md:p-0 dark:bg-slate-950`}
      aria-label="Conversations"
      data-testid="history"
    >
      <div class="flex gap-2">
        <button type="button" class="btn btn-primary flex-1" onClick={props.onNew} data-testid="new-chat">
          New chat
        </button>
        <button type="button" class="btn btn-secondary md:hidden" onClick={props.onClose}>Close</button>
      </div>
      <input
        type="search"
        class="input"
        placeholder="Search conversations"
        aria-label="Search conversations"
        value={props.query}
        onInput={(e) => props.onQuery(e.currentTarget.value)}
        data-testid="history-search"
      />
      <ul class="-mx-1 flex-1 space-y-1 overflow-y-auto px-1" data-testid="history-list">
        {conversations.length === 0 && (
          <li class="muted px-2 py-4 text-center text-sm">
            {props.query ? "Nothing matches" : "No saved conversations yet"}
          </li>
        )}
        {conversations.map((c) => {
          const active = c.id === activeId;
          return (
            <li
              key={c.id}
              class={`rounded-md ${
                active ? "bg-white shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700" : ""
              }`}
              data-testid="history-item"
              data-id={c.id}
            >
              <button
                type="button"
                class="block w-full rounded-md px-2 py-2 text-left hover:bg-white dark:hover:bg-slate-900"
                onClick={() => props.onOpen(c.id)}
                aria-current={active ? "true" : undefined}
              >
                <span class="block truncate text-sm font-medium" data-testid="history-title">{c.title}</span>
                <span class="block truncate text-xs muted">
                  {when(c.updated_at)}
                  {c.profile_name ? ` · ${c.profile_name}` : ""}
                </span>
                {c.snippet && <span class="mt-1 block truncate text-xs italic muted">{c.snippet}</span>}
              </button>
              {active && (
                <div class="flex flex-wrap gap-1 px-2 pb-2 text-xs">
                  <button
                    type="button"
                    class="btn btn-ghost px-2 py-0.5 text-xs"
                    onClick={() => props.onRename(c)}
                  >
                    Rename
                  </button>
                  <a
                    class="btn btn-ghost px-2 py-0.5 text-xs"
                    href={`/api/conversations/${c.id}/export?format=md`}
                    download
                  >
                    Markdown
                  </a>
                  <a
                    class="btn btn-ghost px-2 py-0.5 text-xs"
                    href={`/api/conversations/${c.id}/export?format=json`}
                    download
                  >
                    JSON
                  </a>
                  <button
                    type="button"
                    class="btn btn-ghost px-2 py-0.5 text-xs text-rose-600"
                    onClick={() => props.onDelete(c)}
                  >
                    Delete
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
