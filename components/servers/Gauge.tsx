const RADIUS = 15.9155; // a circumference of 100, so the dash length is the percentage

/** The track and the value arc share one ring. */
const RING = { cx: "18", cy: "18", r: RADIUS, fill: "none", stroke: "currentColor", "stroke-width": "3.5" };

function tone(percent: number): string {
  if (percent >= 90) return "text-rose-500";
  if (percent >= 75) return "text-amber-500";
  return "text-emerald-500";
}

/** Props of {@link Gauge}. */
export interface GaugeProps {
  label: string;
  /** Percent (may exceed 100 for CPU on several cores); null when not measured yet. */
  percent: number | null;
  /** Text under the label, such as "1.2 GB". */
  detail?: string;
  /** Recent values, oldest first, drawn as a sparkline. */
  history?: number[];
}

function Sparkline({ values }: { values: number[] }) {
  if (values.length < 2) return <svg width="64" height="16" aria-hidden="true" />;
  const max = Math.max(100, ...values);
  const step = 64 / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(15 - (v / max) * 14).toFixed(1)}`).join(
    " ",
  );
  return (
    <svg width="64" height="16" viewBox="0 0 64 16" aria-hidden="true" class="text-indigo-400">
      <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}

/**
 * A ring gauge with the value in the middle and a short history below it
 * (SVG attributes only: the Content-Security-Policy forbids inline styles).
 */
export function Gauge({ label, percent, detail, history = [] }: GaugeProps) {
  const shown = percent === null ? 0 : Math.min(100, Math.max(0, percent));
  return (
    <figure class="flex items-center gap-3" data-testid={`gauge-${label.toLowerCase()}`}>
      <svg
        width="56"
        height="56"
        viewBox="0 0 36 36"
        role="img"
        aria-label={`${label} ${percent === null ? "unknown" : `${Math.round(percent)}%`}`}
      >
        <circle {...RING} class="text-slate-200 dark:text-slate-700" />
        <circle
          {...RING}
          stroke-linecap="round"
          stroke-dasharray={`${shown} ${100 - shown}`}
          stroke-dashoffset="25"
          class={tone(shown)}
        />
        <text x="18" y="21" text-anchor="middle" font-size="9" fill="currentColor">
          {percent === null ? "—" : `${Math.round(percent)}%`}
        </text>
      </svg>
      <figcaption class="text-xs">
        <div class="font-medium">{label}</div>
        {detail && <div class="muted">{detail}</div>}
        <Sparkline values={history} />
      </figcaption>
    </figure>
  );
}
