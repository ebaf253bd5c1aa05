import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { MetricsChart } from "../components/MetricsChart.tsx";
import { api, errorMessage } from "../lib/client/api.ts";
import { useEvent } from "../lib/client/events.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { toast } from "../lib/client/toast.ts";
import type { ActivityBucketItem, ActivityItem, ActivityTotalsItem } from "../lib/gateway_types.ts";
import { ActivityTable, TotalsTable } from "../components/gateway/ActivityTables.tsx";

/** Props of {@link ActivityView}. */
export interface ActivityViewProps {
  rows: ActivityItem[];
  nextCursor: string | null;
  totals: { models: ActivityTotalsItem[]; users: ActivityTotalsItem[] };
  series: ActivityBucketItem[];
  /** Admins see everyone's requests and the per-user totals. */
  admin: boolean;
  /** The other machines' names, for the machine filter (none: the filter is hidden). */
  machines?: string[];
}

const BUCKET_S = 60;
const POINTS = 60;

/** Per-minute points over the last hour: request counts, and mean tokens/s where something ran. */
function chartValues(series: ActivityBucketItem[], now: number) {
  const start = Math.floor(now / 1000 / BUCKET_S) * BUCKET_S - (POINTS - 1) * BUCKET_S;
  const byBucket = new Map(series.map((b) => [Math.floor(Date.parse(b.at) / 1000), b]));
  const buckets = Array.from({ length: POINTS }, (_, i) => byBucket.get(start + i * BUCKET_S) ?? null);
  return {
    requests: buckets.map((b) => b?.requests ?? 0),
    tps: buckets.map((b) => b?.avg_tokens_per_second ?? null),
  };
}

/** The Activity page: filters, live table, totals per model and user, requests and tokens/s chart, export. */
export default function ActivityView(props: ActivityViewProps) {
  const hydrated = useHydrated();
  const rows = useSignal(props.rows);
  const cursor = useSignal(props.nextCursor);
  const totals = useSignal(props.totals);
  const series = useSignal(props.series);
  const model = useSignal("");
  const status = useSignal("");
  const machine = useSignal("");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  function query(extra: Record<string, string> = {}): string {
    const params = new URLSearchParams(extra);
    if (model.value.trim()) params.set("model", model.value.trim());
    if (status.value) params.set("status", status.value);
    if (machine.value) params.set("machine", machine.value);
    return params.toString();
  }

  async function refresh() {
    try {
      const since = new Date(Date.now() - POINTS * BUCKET_S * 1000).toISOString();
      const [page, sums, points] = await Promise.all([
        api<{ data: ActivityItem[]; next_cursor: string | null }>(`/api/activity?${query({ limit: "50" })}`),
        api<ActivityViewProps["totals"]>(`/api/activity/summary?${query()}`),
        api<ActivityBucketItem[]>(`/api/activity/series?${query({ bucket: String(BUCKET_S), since })}`),
      ]);
      rows.value = page.data;
      cursor.value = page.next_cursor;
      totals.value = sums;
      series.value = points;
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  async function older() {
    const page = await api<{ data: ActivityItem[]; next_cursor: string | null }>(
      `/api/activity?${query({ limit: "50", cursor: cursor.value! })}`,
    );
    rows.value = [...rows.value, ...page.data];
    cursor.value = page.next_cursor;
  }

  // Requests can end many times a second: refetch at most twice a second.
  useEvent("gateway.activity", () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void refresh();
    }, 500);
  });
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const chart = chartValues(series.value, Date.now());
  return (
    <div class="space-y-4" data-hydrated={hydrated ? "" : undefined} data-testid="activity-view">
      <form
        class="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void refresh();
        }}
      >
        <label class="text-sm">
          <span class="label">Model</span>
          <input
            class="input"
            name="model"
            value={model.value}
            onInput={(e) => model.value = e.currentTarget.value}
          />
        </label>
        <label class="text-sm">
          <span class="label">Status</span>
          <input
            class="input w-24"
            name="status"
            inputMode="numeric"
            value={status.value}
            onInput={(e) => status.value = e.currentTarget.value}
          />
        </label>
        {(props.machines?.length ?? 0) > 0 && (
          <label class="text-sm">
            <span class="label">Machine</span>
            <select
              class="input"
              name="machine"
              value={machine.value}
              onChange={(e) => {
                machine.value = e.currentTarget.value;
                void refresh();
              }}
            >
              <option value="">All machines</option>
              <option value="local">This Mac</option>
              {props.machines!.map((m) => <option key={m} value={m}>{m}</option>)}
            </select>
          </label>
        )}
        <button type="submit" class="btn btn-secondary" disabled={!hydrated}>Filter</button>
        <a class="btn btn-ghost ml-auto" href={`/api/activity/export?${query()}`} download>Export CSV</a>
      </form>
      <div class="card">
        <MetricsChart
          title="Requests a minute and mean tokens per second over the last hour"
          capacity={POINTS}
          times={["60 min ago", "30 min ago", "now"]}
          panels={[
            {
              unit: "Requests a minute",
              series: [{
                label: `Requests (peak ${Math.max(0, ...chart.requests)})`,
                kind: "bars",
                stroke: "stroke-indigo-500",
                swatch: "fill-indigo-500",
                values: chart.requests,
              }],
            },
            {
              unit: "Tokens/s",
              series: [{
                label: `Mean tokens/s of the minute (peak ${
                  Math.round(Math.max(0, ...chart.tps.map((v) => v ?? 0)))
                })`,
                stroke: "stroke-emerald-500",
                swatch: "fill-emerald-500",
                values: chart.tps,
              }],
            },
          ]}
        />
      </div>
      <div class={`grid gap-4 ${props.admin ? "md:grid-cols-2" : ""}`}>
        <TotalsTable title="Per model" rows={totals.value.models} label={(t) => String(t.key ?? "—")} />
        {props.admin && (
          <TotalsTable
            title="Per user"
            rows={totals.value.users}
            label={(t) => t.email ?? (t.key === null ? "anonymous" : `user ${t.key}`)}
          />
        )}
      </div>
      <ActivityTable rows={rows.value} />
      {cursor.value && (
        <button
          type="button"
          class="btn btn-secondary"
          disabled={!hydrated}
          onClick={() => void older()}
        >
          Older requests
        </button>
      )}
    </div>
  );
}
