/**
 * Tokens over time, one bar per day, week or month, stacked by model, in
 * plain SVG (no inline styles, so the strict CSP holds).
 *
 * @module
 */
import type { Bar } from "../../lib/usage_chart.ts";

/** Fill classes of the series, in order (the last one is "other"). */
export const SERIES_FILLS = [
  "fill-indigo-500",
  "fill-emerald-500",
  "fill-amber-500",
  "fill-rose-500",
  "fill-sky-500",
  "fill-slate-400",
];

/** Props of {@link UsageChart}. */
export interface UsageChartProps {
  models: string[];
  bars: Bar[];
  peak: number;
  title: string;
}

const WIDTH = 600;
const HEIGHT = 160;

function compact(n: number): string {
  return n >= 1e6 ? `${Math.round(n / 1e5) / 10}M` : n >= 1e3 ? `${Math.round(n / 100) / 10}k` : String(n);
}

/** The stacked bar chart of a usage report. */
export function UsageChart({ models, bars, peak, title }: UsageChartProps) {
  const fill = (model: string) => SERIES_FILLS[Math.min(models.indexOf(model), SERIES_FILLS.length - 1)];
  const slot = WIDTH / Math.max(1, bars.length);
  const scale = peak > 0 ? HEIGHT / peak : 0;
  return (
    <figure class="space-y-2" data-testid="usage-chart">
      <div class="flex gap-2">
        <div
          class="-my-1.5 flex h-[calc(10rem+0.75rem)] flex-col justify-between text-right text-[10px] leading-3 tabular-nums muted"
          aria-hidden="true"
        >
          <span>{compact(peak)}</span>
          <span>{compact(Math.round(peak / 2))}</span>
          <span>0</span>
        </div>
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          class="h-40 min-w-0 flex-1 rounded-md bg-slate-50 dark:bg-slate-950"
          role="img"
          aria-label={title}
        >
          {bars.map((bar, i) => {
            let y = HEIGHT;
            return (
              <g key={bar.bucket} data-bucket={bar.bucket} data-total={bar.total}>
                {bar.segments.map((s) => {
                  const h = s.tokens * scale;
                  y -= h;
                  return (
                    <rect
                      key={s.model}
                      x={(i * slot + slot * 0.1).toFixed(1)}
                      y={y.toFixed(1)}
                      width={(slot * 0.8).toFixed(1)}
                      height={h.toFixed(1)}
                      class={fill(s.model)}
                      data-model={s.model}
                    >
                      <title>{`${bar.bucket} · ${s.model}: ${s.tokens.toLocaleString()} tokens`}</title>
                    </rect>
                  );
                })}
              </g>
            );
          })}
        </svg>
      </div>
      <div class="flex justify-between pl-8 text-[10px] tabular-nums muted" aria-hidden="true">
        <span>{bars[0]?.bucket}</span>
        <span>{bars.at(-1)?.bucket}</span>
      </div>
      <figcaption class="flex flex-wrap gap-4 text-xs muted">
        {models.length === 0 && <span>No tokens in this range</span>}
        {models.map((m) => (
          <span key={m} class="inline-flex items-center gap-1.5 break-all">
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" rx="2" class={fill(m)} />
            </svg>
            {m}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
