import { useEffect, useState } from "preact/hooks";
import type { ToolCall } from "../../lib/chat/types.ts";

/** Props of {@link ThinkingBubble}. */
export interface ThinkingBubbleProps {
  text: string;
  /** Seconds of reasoning, once it has ended. */
  duration: number | null;
  /** True while the reasoning is still arriving. */
  active: boolean;
}

/** The model's reasoning: open while it streams, closed with its duration once done. */
export function ThinkingBubble({ text, duration, active }: ThinkingBubbleProps) {
  const [open, setOpen] = useState(active);
  useEffect(() => {
    setOpen(active);
  }, [active]);
  const label = active
    ? "Thinking…"
    : duration !== null
    ? `Thought for ${duration.toFixed(1)} s`
    : "Thinking";
  return (
    <details
      class="mb-2 rounded-md border border-slate-200 bg-slate-50 text-sm dark:border-slate-700 dark:bg-slate-800/50"
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
      data-testid="thinking"
    >
      <summary class="cursor-pointer select-none px-3 py-1.5 muted" data-testid="thinking-label">
        {active && <span class="chat-spinner mr-2" aria-hidden="true" />}
        {label}
      </summary>
      <div class="whitespace-pre-wrap border-l-2 border-slate-300 px-3 pb-2 italic muted dark:border-slate-600">
        {text}
      </div>
    </details>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Props of {@link ToolCallBubble}. */
export interface ToolCallBubbleProps {
  calls: ToolCall[];
  /** Results by tool call id (JSON text). */
  results: Record<string, string>;
}

/** Tool calls with their arguments and results. */
export function ToolCallBubble({ calls, results }: ToolCallBubbleProps) {
  const label = calls.length === 1 ? `Tool: ${calls[0].function.name}` : `Tool calls: ${calls.length}`;
  return (
    <details
      class="mb-2 rounded-md border border-sky-200 bg-sky-50 text-sm dark:border-sky-900 dark:bg-sky-950/40"
      data-testid="tool-calls"
    >
      <summary class="cursor-pointer select-none px-3 py-1.5 font-medium text-sky-800 dark:text-sky-300">
        {label}
      </summary>
      <div class="space-y-3 px-3 pb-3">
        {calls.map((call) => {
          const result = results[call.id];
          let failed = false;
          try {
            failed = result !== undefined && "error" in JSON.parse(result);
          } catch { /* not JSON: show it as it is */ }
          return (
            <div key={call.id} data-testid="tool-call">
              <p class="mono font-semibold">{call.function.name}</p>
              <pre class="mono mt-1 overflow-x-auto rounded bg-white p-2 dark:bg-slate-900">{pretty(call.function.arguments)}</pre>
              {result === undefined ? <p class="muted mt-1 text-xs">No result</p> : (
                <>
                  <p class="mt-2 text-xs font-medium">Result:</p>
                  <pre
                    class={`mono mt-1 overflow-x-auto rounded p-2 ${
                      failed
                        ? "bg-rose-50 text-rose-800 dark:bg-rose-950/50 dark:text-rose-300"
                        : "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200"
                    }`}
                    data-testid="tool-result"
                  >{pretty(result)}</pre>
                </>
              )}
            </div>
          );
        })}
      </div>
    </details>
  );
}
