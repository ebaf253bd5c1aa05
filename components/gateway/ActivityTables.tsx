import type { ActivityItem, ActivityTotalsItem } from "../../lib/gateway_types.ts";

function num(value: number | null, digits = 0): string {
  return value === null ? "—" : value.toLocaleString(undefined, { maximumFractionDigits: digits });
}

const OUTCOME_BADGE: Record<string, string> = {
  ok: "badge-green",
  client_closed: "badge-yellow",
  queue_full: "badge-yellow",
};

/** The requests, newest first. */
export function ActivityTable({ rows }: { rows: ActivityItem[] }) {
  return (
    <div class="card overflow-x-auto p-0">
      <table class="w-full text-left text-sm" data-testid="activity-table">
        <thead class="border-b border-slate-200 text-xs uppercase muted dark:border-slate-800">
          <tr>
            <th class="px-3 py-2">Time</th>
            <th class="px-3 py-2">Model</th>
            <th class="hidden px-3 py-2 md:table-cell">Endpoint</th>
            <th class="px-3 py-2">Status</th>
            <th class="px-3 py-2 text-right">Tokens in/out</th>
            <th class="hidden px-3 py-2 text-right sm:table-cell">TTFT ms</th>
            <th class="hidden px-3 py-2 text-right sm:table-cell">Tok/s</th>
            <th class="px-3 py-2 text-right">ms</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td class="px-3 py-6 text-center muted" colSpan={8}>No requests yet</td>
            </tr>
          )}
          {rows.map((r) => (
            <tr
              key={r.id}
              class="border-b border-slate-100 last:border-0 dark:border-slate-800"
              data-testid="activity-row"
            >
              <td class="px-3 py-2 whitespace-nowrap muted">{new Date(r.created_at).toLocaleTimeString()}</td>
              <td class="px-3 py-2 break-all">
                {r.model ?? "—"}
                {r.cold_start && <span class="badge badge-purple ml-1">cold</span>}
                {r.upstream && (
                  <span class="badge badge-blue ml-1" title="Served by another machine">{r.upstream}</span>
                )}
              </td>
              <td class="hidden px-3 py-2 mono text-xs md:table-cell">
                {r.endpoint}
                {r.stream ? " (stream)" : ""}
              </td>
              <td class="px-3 py-2">
                <span class={`badge ${OUTCOME_BADGE[r.outcome] ?? "badge-red"}`} title={r.outcome}>
                  {r.status} {r.outcome}
                </span>
              </td>
              <td class="px-3 py-2 text-right">
                {num(r.prompt_tokens)}/{num(r.completion_tokens)}
                {r.tokens_estimated && <span class="muted" title="estimated">*</span>}
              </td>
              <td class="hidden px-3 py-2 text-right sm:table-cell">{num(r.ttft_ms)}</td>
              <td class="hidden px-3 py-2 text-right sm:table-cell">{num(r.tokens_per_second, 1)}</td>
              <td class="px-3 py-2 text-right">{num(r.duration_ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Totals of one grouping (per model or per user). */
export function TotalsTable(
  { title, rows, label }: {
    title: string;
    rows: ActivityTotalsItem[];
    label: (t: ActivityTotalsItem) => string;
  },
) {
  return (
    <div class="card overflow-x-auto p-0">
      <table
        class="w-full text-left text-sm"
        data-testid={`totals-${title.toLowerCase().replace(/\W+/g, "-")}`}
      >
        <caption class="px-3 pt-3 text-left font-medium">{title}</caption>
        <thead class="border-b border-slate-200 text-xs uppercase muted dark:border-slate-800">
          <tr>
            <th class="px-3 py-2"></th>
            <th class="px-3 py-2 text-right">Requests</th>
            <th class="px-3 py-2 text-right">Errors</th>
            <th class="px-3 py-2 text-right">Tokens out</th>
            <th class="px-3 py-2 text-right">Tok/s</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={String(t.key)} class="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <td class="px-3 py-2 break-all">{label(t)}</td>
              <td class="px-3 py-2 text-right">{num(t.requests)}</td>
              <td class="px-3 py-2 text-right">{num(t.errors)}</td>
              <td class="px-3 py-2 text-right">{num(t.completion_tokens)}</td>
              <td class="px-3 py-2 text-right">{num(t.avg_tokens_per_second, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
