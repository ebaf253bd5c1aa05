/**
 * Which of a model's tool calls the chat's tool loop can run: a call runs
 * only when tools are on for the turn and the tool it names was offered
 * (a built-in tool the request sent, or a tool of a picked MCP server).
 * Anything else is not run, and the turn says so instead of ending silently.
 * Pure.
 *
 * @module
 */
import type { NotRunReason, ToolCall } from "../../lib/chat/types.ts";
import { BUILTIN_TOOLS } from "./tools/mod.ts";
import type { ToolCatalog } from "./tools/runner.ts";

const BUILTIN_NAMES = new Set(BUILTIN_TOOLS.map((t) => t.function.name));

/** Calls the turn does not run, and why. */
export interface NotRun {
  reason: NotRunReason;
  /** The tools asked for, each once. */
  names: string[];
}

function nameOf(tool: unknown): string {
  return String((tool as { function?: { name?: unknown } })?.function?.name ?? "");
}

/**
 * Null when every call can run; otherwise why they are not run. With tools
 * on, a round that names one tool nobody offered is not run at all: the
 * model's next round needs every result.
 *
 * @example
 * ```ts
 * callsNotRun(calls, { runTools: false, requestTools: [], catalog }); // { reason: "tools_off", names: ["get_weather"] }
 * ```
 */
export function callsNotRun(
  calls: ToolCall[],
  turn: { runTools: boolean; requestTools: unknown[]; catalog: ToolCatalog },
): NotRun | null {
  if (calls.length === 0) return null;
  const names = [...new Set(calls.map((c) => c.function.name))];
  if (!turn.runTools) return { reason: "tools_off", names };
  const offered = new Set([...turn.requestTools, ...turn.catalog.definitions].map(nameOf));
  const runnable = (name: string) =>
    turn.catalog.byName.has(name) || (BUILTIN_NAMES.has(name) && offered.has(name));
  const missing = names.filter((name) => !runnable(name));
  return missing.length ? { reason: "unavailable", names: missing } : null;
}
