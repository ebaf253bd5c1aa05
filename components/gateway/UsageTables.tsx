/**
 * The Usage view's tables: usage per key (with each key's budget used) and
 * per user, on the app's one table.
 *
 * @module
 */
import { type Column, Table } from "../ui/Table.tsx";
import type { BudgetUse, UsageGroupItem } from "../../lib/limit_types.ts";

function n(value: number): string {
  return value.toLocaleString();
}

/** A budget's use: a meter and its percentage of the period's tokens. */
export function BudgetCell({ budget }: { budget: BudgetUse | null }) {
  if (!budget) return <span class="muted">no budget</span>;
  const over = budget.percent >= 100;
  return (
    <span class="inline-flex items-center gap-2" data-testid="budget-used">
      <meter min={0} max={100} high={80} optimum={0} value={Math.min(100, budget.percent)} class="w-16" />
      <span class={over ? "font-medium text-rose-600 dark:text-rose-400" : ""}>
        {budget.percent} % of {n(budget.tokens)}/{budget.period}
      </span>
    </span>
  );
}

const figures: Column<UsageGroupItem>[] = [
  { label: "Requests", align: "right", class: "tabular-nums", cell: (g) => n(g.requests) },
  { label: "Prompt", align: "right", class: "tabular-nums", cell: (g) => n(g.prompt_tokens) },
  { label: "Completion", align: "right", class: "tabular-nums", cell: (g) => n(g.completion_tokens) },
  { label: "Errors", from: "md", align: "right", class: "tabular-nums", cell: (g) => n(g.errors) },
  { label: "Limited", from: "md", align: "right", class: "tabular-nums", cell: (g) => n(g.rate_limited) },
  {
    label: "Median TTFT",
    from: "lg",
    align: "right",
    class: "tabular-nums",
    cell: (g) => g.median_ttft_ms === null ? "—" : `${Math.round(g.median_ttft_ms)} ms`,
  },
];

/** Props of {@link UsageTable}. */
export interface UsageTableProps {
  title: string;
  rows: UsageGroupItem[];
  /** Keys: show the owner (admins) and the budget. */
  kind: "key" | "user";
  owners?: boolean;
  testId: string;
}

/** Usage per key or per user, with the budget used. */
export function UsageTable({ title, rows, kind, owners = false, testId }: UsageTableProps) {
  const columns: Column<UsageGroupItem>[] = [
    {
      label: kind === "key" ? "Key" : "User",
      primary: true,
      class: "font-medium break-all",
      cell: (g) => g.label,
    },
    ...(owners
      ? [{
        label: "Owner",
        from: "md" as const,
        class: "break-all",
        cell: (g: UsageGroupItem) => g.owner ?? "—",
      }]
      : []),
    ...figures,
    { label: "Budget", cell: (g) => <BudgetCell budget={g.budget} /> },
  ];
  return (
    <section class="space-y-2">
      <h3 class="text-sm font-medium">{title}</h3>
      <Table
        columns={columns}
        rows={rows}
        rowKey={(g) => String(g.group)}
        empty="Nothing in this range"
        testId={testId}
        rowAttrs={(g) => ({ "data-testid": `${kind}-usage-row`, "data-group": String(g.group) })}
        dense
      />
    </section>
  );
}
