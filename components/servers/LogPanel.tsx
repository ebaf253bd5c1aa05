import { BoundInput } from "../ui/Field.tsx";
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { ComponentChildren } from "preact";
import type { FailureCause } from "../../lib/server_reason.ts";

/** Lines kept on screen. */
const MAX_LINES = 1000;

/** Props of {@link LogPanel}. */
export interface LogPanelProps {
  profileId: number;
  /** Whether the server runs now; a stopped one shows its last run's log. @default true */
  live?: boolean;
  /** Why the server failed, said before its log. */
  cause?: FailureCause | null;
}

/** `line` with each case-insensitive occurrence of `needle` marked. */
function marked(line: string, needle: string): ComponentChildren {
  if (!needle) return line;
  const parts: ComponentChildren[] = [];
  const lower = line.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(needle); i !== -1; i = lower.indexOf(needle, at)) {
    if (i > at) parts.push(line.slice(at, i));
    parts.push(<mark key={i} class="log-match">{line.slice(i, i + needle.length)}</mark>);
    at = i + needle.length;
  }
  parts.push(line.slice(at));
  return parts;
}

/**
 * A server's log: the recent lines, then every new one, from
 * `GET /api/servers/{id}/logs`; for a stopped server, its last run. Filtered
 * by a search, downloadable whole. Follows the end unless scrolled up.
 */
export function LogPanel({ profileId, live = true, cause = null }: LogPanelProps) {
  const lines = useSignal<string[]>([]);
  const query = useSignal("");
  const ref = useRef<HTMLPreElement>(null);
  // Follow the end until the reader scrolls up; follow again once back at the bottom.
  const follow = useRef(true);
  useEffect(() => {
    const source = new EventSource(`/api/servers/${profileId}/logs?lines=${MAX_LINES}`);
    // Each (re)connection starts with the recent lines again.
    source.onopen = () => lines.value = [];
    source.onmessage = (event) => {
      try {
        const { line } = JSON.parse(event.data) as { line: string };
        const next = lines.value.length >= MAX_LINES
          ? lines.value.slice(-MAX_LINES + 1)
          : lines.value.slice();
        next.push(line);
        lines.value = next;
      } catch { /* not a log line */ }
    };
    return () => source.close();
  }, [profileId]);
  useEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [lines.value, query.value]);
  const needle = query.value.trim().toLowerCase();
  const shown = needle ? lines.value.filter((l) => l.toLowerCase().includes(needle)) : lines.value;
  return (
    <div class="mt-3 flex flex-col gap-2" data-testid="log-view">
      {cause && (
        <p class="text-sm font-medium text-rose-700 dark:text-rose-300" data-testid="log-reason">
          {cause.text}
        </p>
      )}
      <div class="flex flex-wrap items-center gap-2">
        <BoundInput
          class="input max-w-xs flex-1 py-1 text-sm"
          type="search"
          placeholder="Search the log…"
          aria-label="Search the log"
          data-testid="log-search"
          bind={query}
        />
        {needle && (
          <span class="text-xs muted" data-testid="log-matches" aria-live="polite">
            {shown.length} of {lines.value.length} lines
          </span>
        )}
        <a
          class="btn btn-ghost ml-auto px-2 py-1 text-xs"
          href={`/api/servers/${profileId}/logs?download=1`}
          download
          data-testid="log-download"
        >
          Download
        </a>
      </div>
      <pre
        ref={ref}
        class="mono max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-950 p-2 text-slate-100"
        data-testid="log-panel"
        aria-live="off"
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {shown.length
          ? shown.map((line, i) => <div key={i}>{marked(line, needle)}</div>)
          : needle
          ? "No line matches"
          : live
          ? "Waiting for log lines…"
          : "No log from the last run"}
      </pre>
    </div>
  );
}
