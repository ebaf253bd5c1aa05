import { useSignal } from "@preact/signals";
import { useEvent } from "../lib/client/events.ts";
import { formatBytes } from "../lib/format.ts";

/** Memory in use on this machine, updated live from `system.metrics` events. */
export default function MemoryIndicator() {
  const memory = useSignal<
    { used: number; total: number; percent: number } | null
  >(null);
  useEvent("system.metrics", (data) => memory.value = data.memory);
  const m = memory.value;
  const tone = !m
    ? "badge-gray"
    : m.percent >= 90
    ? "badge-red"
    : m.percent >= 75
    ? "badge-yellow"
    : "badge-gray";
  // The pill has its place (and width) before the first sample arrives, so the navbar does not shift.
  return (
    <a
      href="/system"
      class={`badge ${tone} memory-pill`}
      title="Memory in use"
      data-testid="memory-indicator"
      data-ready={m ? "" : undefined}
    >
      {m ? `RAM ${formatBytes(m.used)} / ${formatBytes(m.total)}` : "RAM …"}
    </a>
  );
}
