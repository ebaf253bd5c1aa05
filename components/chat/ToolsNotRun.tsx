/**
 * The notice of an answer whose tool calls were not run: which tools the
 * model asked for, why nothing ran, and the way to let them run next time —
 * the built-in tools' switch, or the picker of MCP servers.
 *
 * @module
 */
import type { UiMessage } from "../../lib/chat/client.ts";

/** Props of {@link ToolsNotRun}. */
export interface ToolsNotRunProps {
  notRun: NonNullable<UiMessage["not_run"]>;
  /** The built-in tools are switched on in the settings. */
  toolsOn: boolean;
  /** MCP servers are registered, so the picker is shown. */
  hasMcp: boolean;
  onEnableTools: () => void;
  onPickMcp: () => void;
}

function list(names: string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  return quoted.length < 2 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)}`;
}

/** Why the model's tool calls were not run, with the buttons that would run them. */
export function ToolsNotRun({ notRun, toolsOn, hasMcp, onEnableTools, onPickMcp }: ToolsNotRunProps) {
  const names = list(notRun.names);
  const why = notRun.reason === "tools_off"
    ? `The model asked to use ${names}, but tools are off for this chat, so nothing was run.`
    : notRun.reason === "unavailable"
    ? `The model asked for ${names}, which none of the tools picked for this chat provides, so nothing was run.`
    : `The model asked to use ${names}; nothing was run.`;
  return (
    <div
      role="status"
      class="mt-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100"
      data-testid="tools-not-run"
      data-reason={notRun.reason}
    >
      <p>{why} Turn on the tools it needs, then regenerate the answer.</p>
      <div class="mt-2 flex flex-wrap gap-2">
        {!toolsOn && (
          <button
            type="button"
            class="btn btn-secondary text-xs"
            onClick={onEnableTools}
            data-testid="enable-tools"
          >
            Turn on built-in tools
          </button>
        )}
        {hasMcp
          ? (
            <button
              type="button"
              class="btn btn-secondary text-xs"
              onClick={onPickMcp}
              data-testid="pick-mcp"
            >
              Pick MCP servers
            </button>
          )
          : (
            <a class="btn btn-ghost text-xs" href="/system" data-testid="add-mcp">
              Add an MCP server
            </a>
          )}
      </div>
    </div>
  );
}
