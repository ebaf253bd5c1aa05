import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { UsageChart } from "../components/gateway/UsageChart.tsx";
import { UsageTable } from "../components/gateway/UsageTables.tsx";
import { api, errorMessage } from "../lib/client/api.ts";
import { useEvent } from "../lib/client/events.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { toast } from "../lib/client/toast.ts";
import { BUDGET_PERIODS, type BudgetPeriod, type UsageReport } from "../lib/limit_types.ts";
import { stackByModel } from "../lib/usage_chart.ts";

/** The three reports the view shows. */
export interface UsageReports {
  model: UsageReport;
  key: UsageReport;
  /** Admins only. */
  user: UsageReport | null;
}

/** Props of {@link UsageView}. */
export interface UsageViewProps {
  reports: UsageReports;
  /** Admins see everyone's usage, the owners of keys and the per-user table. */
  admin: boolean;
}

const PERIOD_LABEL: Record<BudgetPeriod, string> = {
  day: "Per day (30 days)",
  week: "Per week (12 weeks)",
  month: "Per month (12 months)",
};

/** The Activity page's Usage view: tokens over time stacked by model, usage per key and per user, CSV export. */
export default function UsageView({ reports: initial, admin }: UsageViewProps) {
  const hydrated = useHydrated();
  const period = useSignal<BudgetPeriod>(initial.model.period);
  const reports = useSignal(initial);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  async function refresh() {
    const q = (group: string) => `/api/usage?group_by=${group}&period=${period.value}`;
    try {
      const [model, key, user] = await Promise.all([
        api<UsageReport>(q("model")),
        api<UsageReport>(q("key")),
        admin ? api<UsageReport>(q("user")) : Promise.resolve(null),
      ]);
      reports.value = { model, key, user };
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  // Requests can end many times a second: refetch at most every two seconds.
  useEvent("gateway.activity", () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void refresh();
    }, 2000);
  });
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const chart = stackByModel(reports.value.model);
  const { time_zone } = reports.value.model;
  return (
    <section class="space-y-4" data-hydrated={hydrated ? "" : undefined} data-testid="usage-view">
      <div class="flex flex-wrap items-end gap-2">
        <h2 class="text-lg font-semibold">Usage</h2>
        <label class="text-sm">
          <span class="sr-only">Period</span>
          <select
            class="input"
            name="usage-period"
            value={period.value}
            disabled={!hydrated}
            onChange={(e) => {
              period.value = e.currentTarget.value as BudgetPeriod;
              void refresh();
            }}
          >
            {BUDGET_PERIODS.map((p) => <option key={p} value={p}>{PERIOD_LABEL[p]}</option>)}
          </select>
        </label>
        <a
          class="btn btn-ghost ml-auto"
          href={`/api/usage/export?group_by=key&period=${period.value}`}
          download
          data-testid="usage-export"
        >
          Export usage CSV
        </a>
      </div>
      <div class="card">
        <UsageChart
          title={`Tokens ${PERIOD_LABEL[period.value].toLowerCase()}, stacked by model (${time_zone})`}
          models={chart.models}
          bars={chart.bars}
          peak={chart.peak}
        />
      </div>
      <div class={`grid gap-4 ${admin ? "xl:grid-cols-2" : ""}`}>
        <UsageTable
          title="Per key"
          kind="key"
          rows={reports.value.key.groups}
          owners={admin}
          testId="usage-keys"
        />
        {reports.value.user && (
          <UsageTable title="Per user" kind="user" rows={reports.value.user.groups} testId="usage-users" />
        )}
      </div>
    </section>
  );
}
