/**
 * The Activity page's tables: the requests, newest first, and the totals per
 * model and per user.
 *
 * @module
 */
import type { ActivityItem, ActivityTotalsItem } from "../../lib/gateway_types.ts";
import { type Column, Table } from "../ui/Table.tsx";

function num(value: number | null, digits = 0): string {
  return value === null ? "—" : value.toLocaleString(undefined, { maximumFractionDigits: digits });
}

const OUTCOME_BADGE: Record<string, string> = {
  ok: "badge-green",
  client_closed: "badge-yellow",
  queue_full: "badge-yellow",
};

const REQUEST_COLUMNS: Column<ActivityItem>[] = [
  {
    label: "Time",
    class: "whitespace-nowrap muted",
    cell: (r) => new Date(r.created_at).toLocaleTimeString(),
  },
  {
    label: "Model",
    primary: true,
    class: "sm:break-all",
    cell: (r) => (
      <>
        {r.model ?? "—"}
        {r.cold_start && <span class="badge badge-purple ml-1">cold</span>}
        {r.upstream && (
          <span class="badge badge-blue ml-1" title="Served by another machine">{r.upstream}</span>
        )}
      </>
    ),
  },
  {
    label: "Endpoint",
    from: "md",
    class: "mono text-xs",
    cell: (r) => `${r.endpoint}${r.stream ? " (stream)" : ""}`,
  },
  {
    label: "Status",
    cell: (r) => (
      <span class={`badge ${OUTCOME_BADGE[r.outcome] ?? "badge-red"}`} title={r.outcome}>
        {r.status} {r.outcome}
      </span>
    ),
  },
  {
    label: "Tokens in/out",
    align: "right",
    cell: (r) => (
      <>
        {num(r.prompt_tokens)}/{num(r.completion_tokens)}
        {r.tokens_estimated && <span class="muted" title="estimated">*</span>}
      </>
    ),
  },
  { label: "TTFT ms", align: "right", from: "sm", cell: (r) => num(r.ttft_ms) },
  { label: "Tok/s", align: "right", from: "sm", cell: (r) => num(r.tokens_per_second, 1) },
  { label: "ms", align: "right", cell: (r) => num(r.duration_ms) },
];

/** The requests, newest first. */
export function ActivityTable({ rows }: { rows: ActivityItem[] }) {
  return (
    <Table
      columns={REQUEST_COLUMNS}
      rows={rows}
      rowKey={(r) => r.id}
      empty="No requests yet"
      testId="activity-table"
      rowAttrs={() => ({ "data-testid": "activity-row" })}
      dense
    />
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
  const columns: Column<ActivityTotalsItem>[] = [
    { label: "", primary: true, class: "sm:break-all", cell: label },
    { label: "Requests", align: "right", cell: (t) => num(t.requests) },
    { label: "Errors", align: "right", cell: (t) => num(t.errors) },
    { label: "Tokens out", align: "right", cell: (t) => num(t.completion_tokens) },
    { label: "Tok/s", align: "right", cell: (t) => num(t.avg_tokens_per_second, 1) },
  ];
  return (
    <Table
      columns={columns}
      rows={rows}
      rowKey={(t) => String(t.key)}
      caption={title}
      testId={`totals-${title.toLowerCase().replace(/\W+/g, "-")}`}
      dense
    />
  );
}
