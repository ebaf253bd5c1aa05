import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";

/** Lines kept on screen. */
const MAX_LINES = 500;

/**
 * A server's live log: the recent lines, then every new one, from
 * `GET /api/servers/{id}/logs`. Follows the end unless scrolled up.
 */
export function LogPanel({ profileId }: { profileId: number }) {
  const lines = useSignal<string[]>([]);
  const ref = useRef<HTMLPreElement>(null);
  // Follow the end until the reader scrolls up; follow again once back at the bottom.
  const follow = useRef(true);
  useEffect(() => {
    const source = new EventSource(`/api/servers/${profileId}/logs?lines=200`);
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
  }, [lines.value]);
  return (
    <pre
      ref={ref}
      class="mono mt-3 max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-950 p-2 text-slate-100"
      data-testid="log-panel"
      aria-live="off"
      onScroll={(e) => {
        const el = e.currentTarget;
        follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {lines.value.length ? lines.value.join("\n") : "Waiting for log lines…"}
    </pre>
  );
}
