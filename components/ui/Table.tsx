/**
 * The one table of the app: columns described as data, a normal table from
 * the small breakpoint up, and below it (a phone) one stacked block per row
 * in which each value is labelled with its column, so a name gets the
 * whole width instead of a squeezed column.
 *
 * @module
 */
import type { ComponentChildren } from "preact";

/** One column of a {@link Table}. */
export interface Column<T> {
  /** The header, and each value's label on a phone ("" for none). */
  label: string;
  cell: (row: T) => ComponentChildren;
  /** @default "left" */
  align?: "left" | "right";
  /** The narrowest screen that shows the column. @default every screen */
  from?: "sm" | "md" | "lg";
  /** The row's heading on a phone: first, unlabelled, in bold. @default false */
  primary?: boolean;
  /** Unlabelled on a phone (a row's buttons). @default false */
  bare?: boolean;
  /** More classes of each of its cells ("mono", "muted", "whitespace-nowrap"). */
  class?: string;
}

/** Props of {@link Table}. */
export interface TableProps<T> {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  /** Shown in one row when there are no rows. */
  empty?: string;
  caption?: string;
  /** The table's `data-testid`. */
  testId?: string;
  /** More attributes of each row (`data-testid`, `data-name`). */
  rowAttrs?: (row: T) => Record<string, string | undefined>;
  /** Tighter cells, for long lists of figures. @default false */
  dense?: boolean;
}

const HIDE = { sm: "max-sm:hidden", md: "max-md:hidden", lg: "max-lg:hidden" } as const;

// Below `sm` the table, its body and rows are blocks and each cell a line: label left, value right.
const STACKED_CELL = "max-sm:flex max-sm:items-baseline max-sm:justify-between max-sm:gap-4 max-sm:py-1 " +
  "max-sm:text-right max-sm:before:shrink-0 max-sm:before:text-left max-sm:before:text-xs " +
  "max-sm:before:uppercase max-sm:before:text-slate-500 max-sm:before:content-[attr(data-label)] " +
  "dark:max-sm:before:text-slate-400";
const HEADING_CELL = "max-sm:order-first max-sm:block max-sm:py-1 max-sm:text-left max-sm:font-medium";
const PLAIN_CELL = "max-sm:block max-sm:py-1 max-sm:text-left";

function headerClass<T>(column: Column<T>, dense: boolean): string {
  return [
    dense ? "px-3 py-2" : "px-4 py-3",
    column.align === "right" ? "text-right" : "",
    column.from ? HIDE[column.from] : "",
  ].filter(Boolean).join(" ");
}

/** Whether a cell of `column` shows its label on a phone. */
function labelled<T>(column: Column<T>): boolean {
  return column.label !== "" && !column.primary && !column.bare && !column.from;
}

function cellClass<T>(column: Column<T>, dense: boolean): string {
  // A column shown only from `sm` up is never stacked: it needs no phone layout.
  const phone = column.from
    ? ""
    : column.primary
    ? HEADING_CELL
    : labelled(column)
    ? STACKED_CELL
    : PLAIN_CELL;
  return [headerClass(column, dense), phone, column.class ?? ""].filter(Boolean).join(" ");
}

/**
 * A table of `rows`, one cell per column; stacked rows on a phone.
 *
 * @example
 * ```tsx
 * <Table
 *   rows={keys}
 *   rowKey={(k) => k.id}
 *   empty="No keys yet"
 *   columns={[
 *     { label: "Name", primary: true, cell: (k) => k.name },
 *     { label: "Last used", from: "md", cell: (k) => when(k.last_used_at) },
 *   ]}
 * />
 * ```
 */
export function Table<T>(
  { columns, rows, rowKey, empty, caption, testId, rowAttrs, dense = false }: TableProps<T>,
) {
  return (
    <div class="card overflow-x-auto p-0">
      <table class="w-full text-left text-sm max-sm:block" data-testid={testId}>
        {caption && <caption class="px-3 pt-3 text-left font-medium max-sm:block">{caption}</caption>}
        <thead class="border-b border-slate-200 text-xs uppercase muted max-sm:hidden dark:border-slate-800">
          <tr>
            {columns.map((c, i) => <th key={i} class={headerClass(c, dense)}>{c.label}</th>)}
          </tr>
        </thead>
        <tbody class="max-sm:block">
          {rows.length === 0 && empty && (
            <tr class="max-sm:block">
              <td class="px-4 py-6 text-center muted max-sm:block" colSpan={columns.length}>{empty}</td>
            </tr>
          )}
          {rows.map((row) => (
            <tr
              key={rowKey(row)}
              class="border-b border-slate-100 last:border-0 max-sm:flex max-sm:flex-col max-sm:py-2 dark:border-slate-800"
              {...rowAttrs?.(row)}
            >
              {columns.map((c, i) => (
                <td
                  key={i}
                  class={cellClass(c, dense)}
                  data-label={labelled(c) ? c.label : undefined}
                >
                  <div class="min-w-0 max-sm:[overflow-wrap:anywhere]">{c.cell(row)}</div>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
