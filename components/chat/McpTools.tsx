/**
 * The chat's MCP parts: the per-conversation picker of MCP servers whose
 * tools the model is offered, and the dialog that asks before a tool runs,
 * showing its arguments. {@link useMcpTools} bundles both for the Chat island.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { ChatEvent } from "../../lib/chat/types.ts";
import type { McpServerView, McpState } from "../../lib/mcp_types.ts";
import { api, errorMessage } from "../../lib/client/api.ts";
import { useEvent } from "../../lib/client/events.ts";
import { toast } from "../../lib/client/toast.ts";
import { Dialog } from "../ui/Dialog.tsx";

/** A `tool_confirm` event. */
export type ToolConfirm = Extract<ChatEvent, { type: "tool_confirm" }>;

const STORE_KEY = "mlx-manager.chat.mcp";
/** The selection of a chat that is not saved yet. */
const NEW_CHAT = "new";

const DOT: Record<McpState, string> = {
  connected: "bg-emerald-500",
  connecting: "bg-sky-500",
  disconnected: "bg-amber-500",
  failed: "bg-rose-500",
  disabled: "bg-slate-400",
};

function readStore(): Record<string, number[]> {
  try {
    const value = JSON.parse(localStorage.getItem(STORE_KEY) ?? "{}");
    return value && typeof value === "object" ? value : {};
  } catch {
    return {};
  }
}

function loadSelection(conversationId: number | null): number[] {
  const ids = readStore()[conversationId === null ? NEW_CHAT : String(conversationId)];
  return Array.isArray(ids) ? ids.filter((id) => Number.isInteger(id)) : [];
}

function saveSelection(conversationId: number | null, ids: number[]): void {
  try {
    const store = readStore();
    store[conversationId === null ? NEW_CHAT : String(conversationId)] = ids;
    localStorage.setItem(STORE_KEY, JSON.stringify(store));
  } catch { /* private mode: the choice lasts for this page only */ }
}

/** The element id of the picker, which the chat's notices bring into view. */
const PICKER_ID = "chat-mcp-picker";

/** Props of {@link McpPicker}. */
export interface McpPickerProps {
  servers: McpServerView[];
  selected: number[];
  onChange: (ids: number[]) => void;
}

/** Checkboxes of the registered MCP servers, with their state and tool count. */
export function McpPicker({ servers, selected, onChange }: McpPickerProps) {
  if (!servers.length) return null;
  return (
    <fieldset
      id={PICKER_ID}
      class="mb-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm"
      data-testid="mcp-picker"
    >
      <legend class="sr-only">MCP servers for this conversation</legend>
      <span class="muted">MCP tools:</span>
      {servers.map((s) => {
        const on = selected.includes(s.id);
        return (
          <label
            key={s.id}
            class="flex items-center gap-1.5"
            title={s.error ?? `${s.tools.length} tools, ${s.state}`}
          >
            <input
              type="checkbox"
              checked={on}
              data-testid="mcp-pick"
              data-name={s.name}
              onChange={() => onChange(on ? selected.filter((id) => id !== s.id) : [...selected, s.id])}
            />
            <span class={`inline-block h-2 w-2 rounded-full ${DOT[s.state]}`} aria-hidden="true" />
            {s.name}
            <span class="muted text-xs">({s.state === "connected" ? s.tools.length : s.state})</span>
          </label>
        );
      })}
    </fieldset>
  );
}

/** Props of {@link ToolConfirmDialog}. */
export interface ToolConfirmDialogProps {
  request: ToolConfirm | null;
  busy: boolean;
  onAnswer: (approve: boolean) => void;
}

/** Asks whether a tool may run, showing the server, the tool and its full arguments. */
export function ToolConfirmDialog({ request, busy, onAnswer }: ToolConfirmDialogProps) {
  return (
    <Dialog open={request !== null} title="Run this tool?" onClose={() => request && onAnswer(false)}>
      {request && (
        <div class="space-y-3 text-sm" data-testid="tool-confirm">
          <p>
            The model wants to run <span class="mono font-semibold">{request.tool}</span> on the MCP server
            {" "}
            <span class="font-semibold">{request.server}</span> with these arguments:
          </p>
          <pre
            class="mono max-h-72 overflow-auto rounded bg-slate-100 p-2 dark:bg-slate-800"
            data-testid="tool-confirm-args"
          >{JSON.stringify(request.arguments, null, 2)}</pre>
          <p class="hint">Without an answer within {request.timeout} s the call is declined.</p>
          <div class="flex justify-end gap-2">
            <button
              type="button"
              class="btn btn-secondary"
              disabled={busy}
              onClick={() => onAnswer(false)}
              data-testid="tool-decline"
            >
              Decline
            </button>
            <button
              type="button"
              class="btn btn-primary"
              disabled={busy}
              onClick={() => onAnswer(true)}
              data-testid="tool-approve"
            >
              Run it
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}

/**
 * The MCP state of the Chat page: the servers (kept live), the selection of
 * the open conversation, and the pending confirmation.
 *
 * @example
 * ```tsx
 * const mcp = useMcpTools(props.mcpServers, conversationId.value);
 * body.mcp_servers = mcp.selected();
 * streamChat(body, (event) => { mcp.handle(event); … });
 * return <>{mcp.picker}{mcp.dialog}</>;
 * ```
 */
export function useMcpTools(initial: McpServerView[], conversationId: number | null) {
  const servers = useSignal(initial.filter((s) => s.transport !== "builtin"));
  const selected = useSignal<number[]>([]);
  const confirm = useSignal<ToolConfirm | null>(null);
  const busy = useSignal(false);

  useEffect(() => {
    selected.value = loadSelection(conversationId);
  }, [conversationId]);
  useEvent("mcp.changed", ({ id, server }) => {
    const rest = servers.value.filter((s) => s.id !== id);
    servers.value = server ? [...rest, server].sort((a, b) => a.name.localeCompare(b.name)) : rest;
  });

  async function answer(approve: boolean) {
    const request = confirm.value;
    if (!request || busy.value) return;
    busy.value = true;
    try {
      await api(`/api/chat/tool-confirmations/${encodeURIComponent(request.tool_call_id)}`, {
        body: { approve },
      });
    } catch (error) {
      toast(errorMessage(error), "error");
    }
    busy.value = false;
    if (confirm.value === request) confirm.value = null;
  }

  return {
    /** How many servers the picker offers. */
    count: servers.value.length,
    /** Brings the picker into view and puts the focus on its first server. */
    focusPicker() {
      const picker = document.getElementById(PICKER_ID);
      picker?.scrollIntoView({ block: "nearest" });
      picker?.querySelector("input")?.focus();
    },
    /** The servers to send as `mcp_servers` (those still registered). */
    selected: () => selected.value.filter((id) => servers.value.some((s) => s.id === id)),
    /** Takes the stream's events: shows confirmations, remembers the selection of a new conversation. */
    handle(event: ChatEvent) {
      if (event.type === "tool_confirm") confirm.value = event;
      if (event.type === "tool_result" && confirm.value?.tool_call_id === event.tool_call_id) {
        confirm.value = null;
      }
      if (event.type === "conversation") saveSelection(event.id, selected.value);
    },
    picker: (
      <McpPicker
        servers={servers.value}
        selected={selected.value}
        onChange={(ids) => {
          selected.value = ids;
          saveSelection(conversationId, ids);
        }}
      />
    ),
    dialog: <ToolConfirmDialog request={confirm.value} busy={busy.value} onAnswer={(a) => void answer(a)} />,
  };
}
