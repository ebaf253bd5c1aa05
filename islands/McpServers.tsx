import { useSignal } from "@preact/signals";
import { ConfirmPrompt } from "../components/ui/Dialog.tsx";
import { McpImportForm } from "../components/mcp/McpImportForm.tsx";
import { McpServerForm } from "../components/mcp/McpServerForm.tsx";
import { McpServerItem } from "../components/mcp/McpServerItem.tsx";
import { api } from "../lib/client/api.ts";
import { useCollection } from "../lib/client/collection.ts";
import { useConfirm } from "../lib/client/confirm.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { removeItem, upsertItem } from "../lib/client/items.ts";
import type { McpServerView } from "../lib/mcp_types.ts";

/** Props of {@link McpServers}. */
export interface McpServersProps {
  servers: McpServerView[];
  /** Admins add, edit, import, reconnect and remove; everyone sees state and tools. */
  isAdmin: boolean;
}

/** The built-in server (id 0) first, then by name. */
function order(a: McpServerView, b: McpServerView): number {
  return a.id === 0 ? -1 : b.id === 0 ? 1 : a.name.localeCompare(b.name);
}

/** Which dialog is open: the server form (with the server, null for a new one) or the import. */
type Open = { form: McpServerView | null } | "import" | null;

/** The MCP section of the System page: registered servers, their state and tools. */
export default function McpServers({ servers, isAdmin }: McpServersProps) {
  const hydrated = useHydrated();
  const list = useCollection({
    url: "/api/mcp/servers",
    initial: servers,
    live: "mcp.changed",
    apply: (items, { id, server }) =>
      server ? upsertItem(items, server, (s) => s.id, order) : removeItem(items, id, (s) => s.id),
  });
  const confirm = useConfirm();
  const open = useSignal<Open>(null);
  /** Counts openings, so each dialog starts over. */
  const round = useSignal(0);
  const show = (next: Open) => {
    round.value++;
    open.value = next;
  };
  const close = () => open.value = null;
  const saved = async () => {
    close();
    await list.refresh();
  };

  const remove = (s: McpServerView) =>
    confirm.ask({
      title: "Remove MCP server",
      message: `Remove ${s.name}? Its process is stopped and its tools leave the chat.`,
      confirmLabel: "Remove",
      danger: true,
      run: () =>
        list.act(() => api(`/api/mcp/servers/${s.id}`, { method: "DELETE" }), { done: `${s.name} removed` }),
    });

  const current = open.value;
  return (
    <section
      class="card"
      aria-label="MCP servers"
      data-testid="mcp-servers"
      data-hydrated={hydrated ? "" : undefined}
    >
      <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
        <div>
          <h2 class="font-semibold">MCP servers</h2>
          <p class="hint">
            Tools from Model Context Protocol servers, offered in the chat. Servers run as this Mac's user:
            add only those you trust.
          </p>
        </div>
        {isAdmin && (
          <div class="flex gap-2">
            <a class="btn btn-ghost" href="/api/mcp/export" download="mcp.json">Export</a>
            <button
              type="button"
              class="btn btn-secondary"
              disabled={!hydrated}
              onClick={() => show("import")}
            >
              Import mcp.json
            </button>
            <button
              type="button"
              class="btn btn-primary"
              disabled={!hydrated}
              data-testid="mcp-add"
              onClick={() => show({ form: null })}
            >
              Add server
            </button>
          </div>
        )}
      </div>
      <ul class="divide-y divide-slate-100 dark:divide-slate-800">
        {list.list.value.map((s) => (
          <McpServerItem
            key={s.id}
            server={s}
            isAdmin={isAdmin}
            ready={hydrated}
            busy={list.busy.value}
            onReconnect={() =>
              list.act(() => api(`/api/mcp/servers/${s.id}/reconnect`, { body: {} }), {
                done: `Reconnecting ${s.name}`,
              })}
            onEdit={() => show({ form: s })}
            onRemove={() => remove(s)}
          />
        ))}
      </ul>
      <McpServerForm
        key={`form-${round.value}`}
        open={typeof current === "object" && current !== null}
        server={typeof current === "object" && current !== null ? current.form : null}
        onClose={close}
        onSaved={saved}
      />
      <McpImportForm
        key={`import-${round.value}`}
        open={current === "import"}
        onClose={close}
        onImported={saved}
      />
      <ConfirmPrompt state={confirm} />
    </section>
  );
}
