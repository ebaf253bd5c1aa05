import { useSignal } from "@preact/signals";
import { useEvent } from "../lib/client/events.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { formatBytes } from "../lib/format.ts";
import type { SystemMetricsEvent } from "../lib/event_types.ts";
import { MetricsChart } from "../components/MetricsChart.tsx";

/** Props of {@link SystemMonitor}. */
export interface SystemMonitorProps {
  /** The reading taken when the page was rendered. */
  initial: SystemMetricsEvent;
  /** Earlier readings, oldest first. */
  history: SystemMetricsEvent[];
  /** Readings the chart holds. */
  capacity: number;
  /** Seconds between readings. */
  intervalSeconds: number;
  /** The share of memory models should fit in, in bytes. */
  recommendedBytes: number;
}

const PRESSURE_TONE: Record<string, string> = {
  normal: "badge-green",
  warn: "badge-yellow",
  critical: "badge-red",
};

function Bar({ percent, tone }: { percent: number; tone: string }) {
  const width = `${Math.min(100, Math.max(0, percent)).toFixed(1)}%`;
  return (
    <svg class="h-2 w-full" aria-hidden="true">
      <rect width="100%" height="8" rx="4" class="fill-slate-200 dark:fill-slate-800" />
      <rect width={width} height="8" rx="4" class={tone} />
    </svg>
  );
}

function memoryTone(percent: number): string {
  return percent >= 90 ? "fill-rose-500" : percent >= 75 ? "fill-amber-500" : "fill-indigo-500";
}

/** Live memory, swap, pressure and GPU with a chart of the last minutes, fed by `system.metrics` events. */
export default function SystemMonitor(props: SystemMonitorProps) {
  const hydrated = useHydrated();
  const latest = useSignal(props.initial);
  const history = useSignal(props.history.length ? props.history : [props.initial]);
  useEvent("system.metrics", (metrics) => {
    latest.value = metrics;
    history.value = [...history.value, metrics].slice(-props.capacity);
  });
  const m = latest.value;
  const gpu = m.gpu ?? null;
  const minutes = Math.round(props.capacity * props.intervalSeconds / 60);
  const series = [
    {
      label: "Memory used",
      stroke: "stroke-indigo-500",
      swatch: "fill-indigo-500",
      values: history.value.map((h) => h.memory.percent),
    },
  ];
  if (history.value.some((h) => h.gpu?.utilization != null)) {
    series.push({
      label: "GPU utilization",
      stroke: "stroke-emerald-500",
      swatch: "fill-emerald-500",
      values: history.value.map((h) => h.gpu?.utilization ?? null) as number[],
    });
  }
  return (
    <div class="space-y-4" data-hydrated={hydrated ? "" : undefined} data-testid="system-monitor">
      <div class="grid gap-4 md:grid-cols-2">
        <section class="card space-y-3" aria-labelledby="memory-heading">
          <div class="flex items-center justify-between gap-2">
            <h2 id="memory-heading" class="font-semibold">Memory</h2>
            {m.pressure && (
              <span class={`badge ${PRESSURE_TONE[m.pressure] ?? "badge-gray"}`} data-testid="pressure">
                Pressure: {m.pressure}
              </span>
            )}
          </div>
          <p class="text-2xl font-semibold" data-testid="memory-used">
            {formatBytes(m.memory.used)}{" "}
            <span class="text-base font-normal muted">of {formatBytes(m.memory.total)}</span>
          </p>
          <Bar percent={m.memory.percent} tone={memoryTone(m.memory.percent)} />
          <dl class="grid grid-cols-2 gap-2 text-sm">
            <dt class="muted">In use</dt>
            <dd data-testid="memory-percent">{m.memory.percent.toFixed(1)} %</dd>
            <dt class="muted">Available</dt>
            <dd>{formatBytes(m.memory.total - m.memory.used)}</dd>
            <dt class="muted">For models</dt>
            <dd title="The share of memory a model should fit in" data-testid="memory-budget">
              {formatBytes(props.recommendedBytes)}
            </dd>
            {m.swap && (
              <>
                <dt class="muted">Swap</dt>
                <dd data-testid="swap">{formatBytes(m.swap.used)} of {formatBytes(m.swap.total)}</dd>
              </>
            )}
          </dl>
        </section>
        <section class="card space-y-3" aria-labelledby="gpu-heading">
          <h2 id="gpu-heading" class="font-semibold">GPU</h2>
          {gpu
            ? (
              <>
                <p class="text-2xl font-semibold" data-testid="gpu-utilization">
                  {gpu.utilization ?? "—"} % <span class="text-base font-normal muted">busy</span>
                </p>
                <Bar percent={gpu.utilization ?? 0} tone="fill-emerald-500" />
                <dl class="grid grid-cols-2 gap-2 text-sm">
                  <dt class="muted">GPU memory in use</dt>
                  <dd data-testid="gpu-memory">{formatBytes(gpu.memoryInUse)}</dd>
                </dl>
              </>
            )
            : <p class="muted text-sm">GPU figures are read from the Apple GPU driver on macOS.</p>}
        </section>
      </div>
      <section class="card space-y-2" aria-labelledby="chart-heading">
        <h2 id="chart-heading" class="font-semibold">Last {minutes} minutes</h2>
        <MetricsChart
          panels={[{ unit: "% of the total", max: 100, series, format: (v) => `${v} %` }]}
          capacity={props.capacity}
          title={`Memory and GPU use over the last ${minutes} minutes`}
          times={[`${minutes} min ago`, "now"]}
        />
        <p class="hint">A reading every {props.intervalSeconds} s while this page is open.</p>
      </section>
    </div>
  );
}
