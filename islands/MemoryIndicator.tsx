import { useSignal } from "@preact/signals";
import { useEvent } from "../lib/client/events.ts";
import { formatBytes } from "../lib/format.ts";

/** Memory in use, bytes, as `system.metrics` events carry it. */
export interface MemoryReading {
  used: number;
  total: number;
  percent: number;
}

/** Props of {@link MemoryIndicator}. */
export interface MemoryIndicatorProps {
  /** The last reading when the page was rendered, so the pill has a value at first paint. */
  initial?: MemoryReading | null;
}

/** Memory in use on this machine, updated live from `system.metrics` events. */
export default function MemoryIndicator({ initial = null }: MemoryIndicatorProps) {
  const memory = useSignal<MemoryReading | null>(initial);
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
