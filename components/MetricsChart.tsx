/** A line of percentages (0–100, null for a gap) drawn with a Tailwind stroke class. */
export interface ChartSeries {
  label: string;
  /** Tailwind classes for the line and its legend swatch, e.g. "stroke-indigo-500". */
  stroke: string;
  swatch: string;
  values: (number | null)[];
}

/** Props of {@link MetricsChart}. */
export interface MetricsChartProps {
  series: ChartSeries[];
  /** How many points the width holds (older points scroll off the left). */
  capacity: number;
  /** Accessible summary, e.g. "Memory and GPU over the last 10 minutes". */
  title: string;
}

const WIDTH = 600;
const HEIGHT = 160;
/** The y-axis labels, top to bottom, at the grid lines and the edges. */
const TICKS = [100, 75, 50, 25, 0];

/** The SVG path of one series: segments broken where a value is missing. */
export function linePath(values: (number | null)[], capacity: number): string {
  const step = WIDTH / Math.max(1, capacity - 1);
  const offset = capacity - values.length;
  let path = "";
  let pen = false;
  values.forEach((value, i) => {
    if (value === null || !Number.isFinite(value)) {
      pen = false;
      return;
    }
    const x = ((offset + i) * step).toFixed(1);
    const y = (HEIGHT - Math.min(100, Math.max(0, value)) / 100 * HEIGHT).toFixed(1);
    path += `${pen ? "L" : "M"}${x} ${y}`;
    pen = true;
  });
  return path;
}

/**
 * A percentage chart in plain SVG (no inline styles, so the strict CSP holds):
 * grid lines at 25 % steps with their labels on the y axis, and one line per
 * series, newest on the right.
 */
export function MetricsChart({ series, capacity, title }: MetricsChartProps) {
  return (
    <figure class="space-y-2" data-testid="metrics-chart">
      <div class="flex gap-2">
        {
          /* The ticks are HTML beside the SVG: text inside a stretched SVG would stretch too. */
        }
        <div
          class="-my-1.5 flex h-[calc(10rem+0.75rem)] flex-col justify-between text-right text-[10px] leading-3 tabular-nums muted"
          aria-hidden="true"
          data-testid="chart-y-ticks"
        >
          {TICKS.map((t) => <span key={t}>{t} %</span>)}
        </div>
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          class="h-40 min-w-0 flex-1 overflow-visible rounded-md bg-slate-50 dark:bg-slate-950"
          role="img"
          aria-label={title}
        >
          {[25, 50, 75].map((p) => (
            <line
              key={p}
              x1="0"
              x2={WIDTH}
              y1={HEIGHT - p / 100 * HEIGHT}
              y2={HEIGHT - p / 100 * HEIGHT}
              class="stroke-slate-200 dark:stroke-slate-800"
              stroke-dasharray="4 4"
              vector-effect="non-scaling-stroke"
            />
          ))}
          {series.map((s) => (
            <path
              key={s.label}
              d={linePath(s.values, capacity)}
              class={`fill-none ${s.stroke}`}
              stroke-width="2"
              stroke-linejoin="round"
              vector-effect="non-scaling-stroke"
              data-series={s.label}
            />
          ))}
        </svg>
      </div>
      <figcaption class="flex flex-wrap gap-4 text-xs muted">
        {series.map((s) => (
          <span key={s.label} class="inline-flex items-center gap-1.5">
            <svg width="12" height="4" aria-hidden="true">
              <rect width="12" height="4" rx="2" class={s.swatch} />
            </svg>
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
