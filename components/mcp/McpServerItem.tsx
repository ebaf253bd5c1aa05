/**
 * One MCP server in the System page's list: its transport, state, command
 * or URL, last error, tools and, for admins, its buttons.
 *
 * @module
 */
import { RowButton } from "../ui/Buttons.tsx";
import type { McpServerView, McpState } from "../../lib/mcp_types.ts";

const STATE_BADGE: Record<McpState, string> = {
  connected: "badge-green",
  connecting: "badge-blue",
  disconnected: "badge-yellow",
  failed: "badge-red",
  disabled: "badge-gray",
};

/** Props of {@link McpServerItem}. */
export interface McpServerItemProps {
  server: McpServerView;
  /** Admins reconnect, edit and remove (not the built-in server). */
  isAdmin: boolean;
  /** False until the island has hydrated. */
  ready: boolean;
  /** Disables Reconnect while an action runs. */
  busy: boolean;
  onReconnect: () => void;
  onEdit: () => void;
  onRemove: () => void;
}

function approval(s: McpServerView, tool: McpServerView["tools"][number]) {
  if (tool.annotations.readOnlyHint === true) return <span class="badge badge-green">read-only</span>;
  const auto = s.auto_approve === true ||
    (Array.isArray(s.auto_approve) && s.auto_approve.includes(tool.name));
  return auto
    ? <span class="badge badge-blue">auto-approved</span>
    : <span class="badge badge-yellow">asks first</span>;
}

/** An MCP server's row, with its tools folded away. */
export function McpServerItem(
  { server: s, isAdmin, ready, busy, onReconnect, onEdit, onRemove }: McpServerItemProps,
) {
  return (
    <li class="py-3" data-testid="mcp-server" data-name={s.name}>
      <div class="flex flex-wrap items-center gap-2">
        <span class="font-medium">{s.name}</span>
        <span class="badge badge-gray">{s.transport}</span>
        <span class={`badge ${STATE_BADGE[s.state]}`} data-testid="mcp-state">{s.state}</span>
        <span class="muted text-xs">{s.tools.length} tool{s.tools.length === 1 ? "" : "s"}</span>
        {isAdmin && s.id !== 0 && (
          <span class="ml-auto flex gap-1">
            <RowButton disabled={!ready || busy || !s.enabled} onClick={onReconnect}>Reconnect</RowButton>
            <RowButton disabled={!ready} onClick={onEdit}>Edit</RowButton>
            <RowButton danger disabled={!ready} onClick={onRemove}>Remove</RowButton>
          </span>
        )}
      </div>
      <p class="mono muted mt-1 break-all">
        {s.transport === "stdio" ? [s.command, ...s.args].join(" ") : s.url ?? "tools built into MLX Manager"}
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
                <span class="mono">{t.name}</span> {approval(s, t)} <span class="muted">{t.description}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}
