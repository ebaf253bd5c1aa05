/**
 * Time-series charts in plain SVG, rendered on the server (no inline styles,
 * so the strict CSP holds; colours are Tailwind classes, so dark mode
 * follows). A chart is one or more panels stacked one above the other, each
 * with its own y axis in its own unit (requests a minute beside tokens per
 * second is not one scale), sharing the time axis below. A panel draws lines
 * (every point marked, so a lone minute shows) or bars, stacked when asked
 * (tokens by model).
 *
 * @module
 */

/** One series: a value per time slot, oldest first, null where there is none. */
export interface ChartSeries {
  label: string;
  /** Tailwind classes for the line and for the bars and legend swatch, e.g. "stroke-indigo-500". */
  stroke: string;
  swatch: string;
  values: (number | null)[];
  /** A line through the points (each marked), or a bar per point. @default "line" */
  kind?: "line" | "bars";
}

/** A panel: series sharing one y axis. */
export interface ChartPanel {
  /** What the axis counts, shown as its title: "Requests a minute", "Tokens/s", "%". */
  unit: string;
  series: ChartSeries[];
  /** The top of the axis (100 for percentages); by default a round number above the data. */
  max?: number;
  /** Bars of the series stacked on each other; the axis then spans their sums. @default false */
  stacked?: boolean;
  /** A tick's text. @default whole numbers up to 9,999, then "12k" */
  format?: (value: number) => string;
}

/** Props of {@link MetricsChart}. */
export interface MetricsChartProps {
  /** Accessible summary, e.g. "Memory and GPU over the last 10 minutes". */
  title: string;
  /** How many slots the width holds (older values scroll off the left). */
  capacity: number;
  panels: ChartPanel[];
  /** Labels under the time axis, spread from the oldest slot to the newest, e.g. ["60 min ago", "now"]. */
  times?: string[];
}

const WIDTH = 600;
const HEIGHT = 100;
/** Intervals on each y axis. */
const STEPS = 4;

/**
 * The top of an axis of {@link STEPS} equal steps that holds `peak`, with
 * round steps (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × a power of ten; whole numbers
 * once the peak is one or more).
 *
 * @example
 * ```ts
 * axisMax(7); // 8 (steps of 2)
 * axisMax(47); // 60 (steps of 15)
 * axisMax(0); // 4: an empty axis still has its steps
 * ```
 */
export function axisMax(peak: number): number {
  if (!(peak > 0) || !Number.isFinite(peak)) return STEPS;
  const raw = peak / STEPS;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9))!;
  // Counts of one or more step by whole numbers.
  return (peak >= 1 ? Math.max(1, Math.ceil(step)) : step) * STEPS;
}

/** A tick's default text: whole numbers, thousands as "k". */
export function tickText(value: number): string {
  if (value >= 10_000) return `${Number((value / 1000).toFixed(1))}k`;
  return Number.isInteger(value) ? value.toLocaleString("en") : String(Number(value.toFixed(2)));
}

function x(i: number, capacity: number, offset: number): number {
  return ((offset + i) * WIDTH) / Math.max(1, capacity - 1);
}

function y(value: number, max: number): number {
  return HEIGHT - (Math.min(max, Math.max(0, value)) / max) * HEIGHT;
}

/**
 * The SVG path of a line series: segments between neighbouring values,
 * broken where one is missing. Each point also gets a zero-length segment,
 * which a round line cap draws as a dot, so a value with no neighbour shows.
 */
export function linePath(values: (number | null)[], capacity: number, max = 100): string {
  const offset = capacity - values.length;
  let path = "";
  let pen = false;
  values.forEach((value, i) => {
    if (value === null || !Number.isFinite(value)) {
      pen = false;
      return;
    }
    const px = x(i, capacity, offset).toFixed(1);
    const py = y(value, max).toFixed(1);
    path += `${pen ? "L" : "M"}${px} ${py}`;
    pen = true;
  });
  return path;
}

/** The dots of a line series: one zero-length segment per value. */
export function pointsPath(values: (number | null)[], capacity: number, max = 100): string {
  const offset = capacity - values.length;
  return values.map((value, i) => {
    if (value === null || !Number.isFinite(value)) return "";
    const px = x(i, capacity, offset).toFixed(1);
    return `M${px} ${y(value, max).toFixed(1)}h0`;
  }).join("");
}

/** The rectangles of the bar series of a panel, side by side or stacked. */
function bars(panel: ChartPanel, capacity: number, max: number) {
  const series = panel.series.filter((s) => s.kind === "bars");
  const slot = WIDTH / Math.max(1, capacity);
  const gap = Math.min(1, slot * 0.2);
  const out: { key: string; series: string; swatch: string; x: number; y: number; w: number; h: number }[] =
    [];
  const base: number[] = [];
  series.forEach((s, k) => {
    const offset = capacity - s.values.length;
    s.values.forEach((value, i) => {
      if (!value || value <= 0) return;
      const at = offset + i;
      const under = panel.stacked ? base[at] ?? 0 : 0;
      if (panel.stacked) base[at] = under + value;
      const w = panel.stacked ? slot - gap : (slot - gap) / series.length;
      const left = at * slot + gap / 2 + (panel.stacked ? 0 : k * w);
      const top = y(under + value, max);
      out.push({
        key: `${s.label}-${at}`,
        series: s.label,
        swatch: s.swatch,
        x: left,
        y: top,
        w,
        h: y(under, max) - top,
      });
    });
  });
  return out;
}

/** The largest value a panel's axis must hold (its stacked sums when stacked). */
function peak(panel: ChartPanel): number {
  if (!panel.stacked) {
    return Math.max(0, ...panel.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  }
  const sums: number[] = [];
  for (const s of panel.series) s.values.forEach((v, i) => sums[i] = (sums[i] ?? 0) + (v ?? 0));
  return Math.max(0, ...sums);
}

function Panel({ panel, capacity }: { panel: ChartPanel; capacity: number }) {
  const max = panel.max ?? axisMax(peak(panel));
  const format = panel.format ?? tickText;
  const ticks = Array.from({ length: STEPS + 1 }, (_, i) => max - (i * max) / STEPS);
  return (
    <div class="space-y-1" data-testid="chart-panel" data-unit={panel.unit}>
      <div class="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-xs">
        <span class="font-medium" data-testid="chart-unit">{panel.unit}</span>
        {panel.series.map((s) => (
          <span key={s.label} class="inline-flex items-center gap-1.5 muted">
            <svg width="12" height="4" aria-hidden="true">
              <rect width="12" height="4" rx="2" class={s.swatch} />
            </svg>
            {s.label}
          </span>
        ))}
      </div>
      <div class="flex gap-2">
        {/* The ticks are HTML beside the SVG: text inside a stretched SVG would stretch too. */}
        <div
          class="-my-1.5 flex h-[calc(6rem+0.75rem)] w-10 shrink-0 flex-col justify-between text-right text-[10px] leading-3 tabular-nums muted"
          aria-hidden="true"
          data-testid="chart-y-ticks"
        >
          {ticks.map((t) => <span key={t}>{format(t)}</span>)}
        </div>
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          class="h-24 min-w-0 flex-1 overflow-visible rounded-md bg-slate-50 dark:bg-slate-950"
          aria-hidden="true"
          data-testid="chart-plot"
        >
          {[1, 2, 3].map((i) => (
            <line
              key={i}
              x1="0"
              x2={WIDTH}
              y1={(i * HEIGHT) / STEPS}
              y2={(i * HEIGHT) / STEPS}
              class="stroke-slate-200 dark:stroke-slate-800"
              stroke-dasharray="4 4"
              vector-effect="non-scaling-stroke"
            />
          ))}
          {bars(panel, capacity, max).map((b) => (
            <rect key={b.key} x={b.x} y={b.y} width={b.w} height={b.h} class={b.swatch} data-bar={b.series} />
          ))}
          {panel.series.filter((s) => s.kind !== "bars").map((s) => (
            <g key={s.label} class={`fill-none ${s.stroke}`} data-series={s.label}>
              <path
                d={linePath(s.values, capacity, max)}
                stroke-width="2"
                stroke-linejoin="round"
                vector-effect="non-scaling-stroke"
              />
              <path
                d={pointsPath(s.values, capacity, max)}
                stroke-width="5"
                stroke-linecap="round"
                vector-effect="non-scaling-stroke"
                data-testid="chart-points"
              />
            </g>
          ))}
        </svg>
      </div>
    </div>
  );
}

/**
 * Panels of time series, one above the other, each on its own axis, over one
 * time axis.
 *
 * @example
 * ```tsx
 * <MetricsChart title="Requests and tokens/s" capacity={60} times={["60 min ago", "now"]} panels={[
 *   { unit: "Requests a minute", series: [{ label: "Requests", kind: "bars", values, … }] },
 *   { unit: "Tokens/s", series: [{ label: "Mean tokens/s", values: tps, … }] },
 * ]} />
 * ```
 */
export function MetricsChart({ title, capacity, panels, times }: MetricsChartProps) {
  return (
    <figure class="space-y-3" data-testid="metrics-chart" role="img" aria-label={title}>
      {panels.map((p) => <Panel key={p.unit} panel={p} capacity={capacity} />)}
      {times && times.length > 1 && (
        <div class="flex justify-between pl-12 text-[10px] tabular-nums muted" aria-hidden="true">
          {times.map((t) => <span key={t}>{t}</span>)}
        </div>
      )}
    </figure>
  );
}
