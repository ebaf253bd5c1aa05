import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { ConfirmDialog, Dialog } from "../components/ui/Dialog.tsx";
import { Alert, AreaField, Field } from "../components/ui/Field.tsx";
import { FormActions, RowButton } from "../components/ui/Buttons.tsx";
import { api, ApiError, errorMessage } from "../lib/client/api.ts";
import { useEvent } from "../lib/client/events.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { toast } from "../lib/client/toast.ts";
import type { McpServerView, McpState } from "../lib/mcp_types.ts";
import { EMPTY_FORM, formBody, formValues, type McpFormValues } from "../lib/mcp_form.ts";

/** Props of {@link McpServers}. */
export interface McpServersProps {
  servers: McpServerView[];
  /** Admins add, edit, import, reconnect and remove; everyone sees state and tools. */
  isAdmin: boolean;
}

const STATE_BADGE: Record<McpState, string> = {
  connected: "badge-green",
  connecting: "badge-blue",
  disconnected: "badge-yellow",
  failed: "badge-red",
  disabled: "badge-gray",
};

/** The MCP section of the System page: registered servers, their state and tools. */
export default function McpServers({ servers, isAdmin }: McpServersProps) {
  const hydrated = useHydrated();
  const list = useSignal(servers);
  const editing = useSignal<{ id: number | null; values: McpFormValues } | null>(null);
  const fields = useSignal<Record<string, string>>({});
  const formError = useSignal<string | null>(null);
  const busy = useSignal(false);
  const removing = useSignal<McpServerView | null>(null);
  const importing = useSignal<string | null>(null);

  async function refresh() {
    list.value = await api<McpServerView[]>("/api/mcp/servers");
  }
  useEvent("mcp.changed", ({ id, server }) => {
    const rest = list.value.filter((s) => s.id !== id);
    list.value = server
      ? [...rest, server].sort((a, b) => a.id === 0 ? -1 : b.id === 0 ? 1 : a.name.localeCompare(b.name))
      : rest;
  });
  useEvent("resync", () => void refresh().catch(() => {}));

  const set = (patch: Partial<McpFormValues>) => {
    if (editing.value) editing.value = { ...editing.value, values: { ...editing.value.values, ...patch } };
  };

  async function save(event: Event) {
    event.preventDefault();
    const current = editing.value!;
    busy.value = true;
    fields.value = {};
    formError.value = null;
    try {
      const body = formBody(current.values);
      if (current.id === null) await api("/api/mcp/servers", { body });
      else await api(`/api/mcp/servers/${current.id}`, { method: "PUT", body });
      toast(`${current.values.name} saved`, "success");
      editing.value = null;
      await refresh();
    } catch (error) {
      if (error instanceof ApiError) fields.value = error.fields;
      formError.value = errorMessage(error);
    }
    busy.value = false;
  }

  async function run(action: () => Promise<unknown>, done: string) {
    busy.value = true;
    try {
      await action();
      toast(done, "success");
      await refresh();
    } catch (error) {
      toast(errorMessage(error), "error");
    }
    busy.value = false;
  }

  async function importJson(event: Event) {
    event.preventDefault();
    let doc: unknown;
    try {
      doc = JSON.parse(importing.value ?? "");
    } catch {
      formError.value = "This is not JSON: paste the content of an mcp.json file";
      return;
    }
    busy.value = true;
    formError.value = null;
    try {
      const outcome = await api<{ created: McpServerView[]; skipped: { name: string; reason: string }[] }>(
        "/api/mcp/import",
        { body: doc },
      );
      const skipped = outcome.skipped.map((s) => `${s.name} (${s.reason})`).join("; ");
      toast(
        `Imported ${outcome.created.length} server(s)${skipped ? `; skipped ${skipped}` : ""}`,
        outcome.created.length ? "success" : "info",
      );
      importing.value = null;
      await refresh();
    } catch (error) {
      formError.value = errorMessage(error);
    }
    busy.value = false;
  }

  const v = editing.value?.values;
  const area = (name: "args" | "env" | "headers") => ({
    id: `mcp-${name}`,
    name,
    mono: true,
    value: v?.[name] ?? "",
    error: fields.value[name],
    onInput: (value: string) => set({ [name]: value }),
  });
  const input = (name: keyof McpFormValues) => ({
    name,
    value: String(v?.[name] ?? ""),
    error: fields.value[name],
    onInput: (e: JSX.TargetedEvent<HTMLInputElement>) => set({ [name]: e.currentTarget.value }),
  });

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
              onClick={() => {
                formError.value = null;
                importing.value = "";
              }}
            >
              Import mcp.json
            </button>
            <button
              type="button"
              class="btn btn-primary"
              disabled={!hydrated}
              data-testid="mcp-add"
              onClick={() => {
                fields.value = {};
                formError.value = null;
                editing.value = { id: null, values: { ...EMPTY_FORM } };
              }}
            >
              Add server
            </button>
          </div>
        )}
      </div>
      <ul class="divide-y divide-slate-100 dark:divide-slate-800">
        {list.value.map((s) => (
          <li key={s.id} class="py-3" data-testid="mcp-server" data-name={s.name}>
            <div class="flex flex-wrap items-center gap-2">
              <span class="font-medium">{s.name}</span>
              <span class="badge badge-gray">{s.transport}</span>
              <span class={`badge ${STATE_BADGE[s.state]}`} data-testid="mcp-state">{s.state}</span>
              <span class="muted text-xs">{s.tools.length} tool{s.tools.length === 1 ? "" : "s"}</span>
              {isAdmin && s.id !== 0 && (
                <span class="ml-auto flex gap-1">
                  <RowButton
                    disabled={!hydrated || busy.value || !s.enabled}
                    onClick={() =>
                      run(
                        () => api(`/api/mcp/servers/${s.id}/reconnect`, { body: {} }),
                        `Reconnecting ${s.name}`,
                      )}
                  >
                    Reconnect
                  </RowButton>
                  <RowButton
                    disabled={!hydrated}
                    onClick={() => {
                      fields.value = {};
                      formError.value = null;
                      editing.value = { id: s.id, values: formValues(s) };
                    }}
                  >
                    Edit
                  </RowButton>
                  <RowButton
                    danger
                    disabled={!hydrated}
                    onClick={() => removing.value = s}
                  >
                    Remove
                  </RowButton>
                </span>
              )}
            </div>
            <p class="mono muted mt-1 break-all">
              {s.transport === "stdio"
                ? [s.command, ...s.args].join(" ")
                : s.url ?? "tools built into MLX Manager"}
            </p>
            {s.error && (
              <pre
                class="mt-2 whitespace-pre-wrap rounded bg-rose-50 p-2 text-xs text-rose-800 dark:bg-rose-950/50 dark:text-rose-200"
                data-testid="mcp-error"
              >{s.error}</pre>
            )}
            {s.tools.length > 0 && (
              <details class="mt-2 text-sm">
                <summary class="cursor-pointer muted">Tools</summary>
                <ul class="mt-1 space-y-1">
                  {s.tools.map((t) => (
                    <li key={t.name}>
                      <span class="mono">{t.name}</span> {t.annotations.readOnlyHint === true
                        ? <span class="badge badge-green">read-only</span>
                        : s.auto_approve === true ||
                            (Array.isArray(s.auto_approve) && s.auto_approve.includes(t.name))
                        ? <span class="badge badge-blue">auto-approved</span>
                        : <span class="badge badge-yellow">asks first</span>}{" "}
                      <span class="muted">{t.description}</span>
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </li>
        ))}
      </ul>

      <Dialog
        open={editing.value !== null}
        title={editing.value?.id === null ? "Add MCP server" : "Edit MCP server"}
        onClose={() => editing.value = null}
      >
        {v && (
          <form class="space-y-3" onSubmit={save} data-testid="mcp-form">
            {formError.value && <Alert kind="error">{formError.value}</Alert>}
            <Field label="Name" {...input("name")} required />
            <div>
              <label class="label" for="mcp-transport">Transport</label>
              <select
                id="mcp-transport"
                class="input"
                value={v.transport}
                onChange={(e) => set({ transport: e.currentTarget.value as "stdio" | "http" })}
              >
                <option value="stdio">stdio (a command on this Mac)</option>
                <option value="http">HTTP (Streamable HTTP or SSE)</option>
              </select>
            </div>
            {v.transport === "stdio"
              ? (
                <>
                  <Field label="Command" {...input("command")} placeholder="npx" />
                  <AreaField
                    label="Arguments"
                    {...area("args")}
                    hint="One per line"
                  />
                  <AreaField
                    label="Environment"
                    {...area("env")}
                    hint="NAME=value per line; values are stored encrypted and shown masked (keep the mask to keep a value)"
                  />
                  <Field label="Working folder" {...input("cwd")} placeholder="optional, an absolute path" />
                </>
              )
              : (
                <>
                  <Field label="URL" {...input("url")} placeholder="https://example.com/mcp" />
                  <AreaField
                    label="Headers"
                    {...area("headers")}
                    hint="Name: value per line, e.g. Authorization: Bearer …; stored encrypted and shown masked"
                  />
                </>
              )}
            <div>
              <label class="label" for="mcp-approve">Run without asking</label>
              <select
                id="mcp-approve"
                class="input"
                value={v.approve}
                onChange={(e) => set({ approve: e.currentTarget.value as McpFormValues["approve"] })}
              >
                <option value="none">Only read-only tools</option>
                <option value="some">Read-only tools and those listed</option>
                <option value="all">Every tool of this server</option>
              </select>
              {v.approve === "some" && (
                <input
                  class="input mt-2"
                  aria-label="Tools that run without asking"
                  value={v.approveTools}
                  placeholder="tool names, separated by commas"
                  onInput={(e) => set({ approveTools: e.currentTarget.value })}
                />
              )}
            </div>
            <label class="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={v.enabled}
                onChange={(e) => set({ enabled: e.currentTarget.checked })}
              />
              Enabled
            </label>
            <FormActions submitLabel="Save" busy={busy.value} onCancel={() => editing.value = null} />
          </form>
        )}
      </Dialog>

      <Dialog open={importing.value !== null} title="Import mcp.json" onClose={() => importing.value = null}>
        <form class="space-y-3" onSubmit={importJson}>
          {formError.value && <Alert kind="error">{formError.value}</Alert>}
          <AreaField
            id="mcp-import"
            label="mcp.json"
            name="import"
            mono
            rows={10}
            value={importing.value ?? ""}
            onInput={(text) => importing.value = text}
            hint='The format of LM Studio and Claude Desktop: {"mcpServers": {"name": {"command": …, "args": […]}}}'
          />
          <FormActions submitLabel="Import" busy={busy.value} onCancel={() => importing.value = null} />
        </form>
      </Dialog>

      <ConfirmDialog
        open={removing.value !== null}
        title="Remove MCP server"
        message={`Remove ${removing.value?.name}? Its process is stopped and its tools leave the chat.`}
        confirmLabel="Remove"
        danger
        busy={busy.value}
        onCancel={() => removing.value = null}
        onConfirm={async () => {
          const s = removing.value!;
          await run(() => api(`/api/mcp/servers/${s.id}`, { method: "DELETE" }), `${s.name} removed`);
          removing.value = null;
        }}
      />
    </section>
  );
}
