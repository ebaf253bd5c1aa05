import assert from "node:assert/strict";
import { h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { parseHTML } from "linkedom";
import { type Column, Table } from "../../../components/ui/Table.tsx";

interface Row {
  id: number;
  name: string;
  used: number;
}

const COLUMNS: Column<Row>[] = [
  { label: "Name", primary: true, cell: (r) => r.name },
  { label: "Used", align: "right", cell: (r) => String(r.used) },
  { label: "Since", from: "md", cell: () => "today" },
  { label: "Actions", bare: true, cell: () => h("button", {}, "Revoke") },
];

function render<P>(node: VNode<P>) {
  return parseHTML(`<!DOCTYPE html><html><body>${renderToString(node as VNode)}</body></html>`).document;
}

Deno.test("Table renders a header and one row per item, with the row attributes given", () => {
  const doc = render(h(Table<Row>, {
    columns: COLUMNS,
    rows: [{ id: 1, name: "Editor", used: 3 }, { id: 2, name: "CI", used: 0 }],
    rowKey: (r) => r.id,
    testId: "keys",
    rowAttrs: (r) => ({ "data-testid": "key-row", "data-name": r.name }),
  }));
  assert.deepEqual([...doc.querySelectorAll("thead th")].map((th) => th.textContent), [
    "Name",
    "Used",
    "Since",
    "Actions",
  ]);
  const rows = doc.querySelectorAll("[data-testid=keys] tbody [data-testid=key-row]");
  assert.equal(rows.length, 2);
  assert.equal(rows[1].getAttribute("data-name"), "CI");
  assert.deepEqual([...rows[0].querySelectorAll("td")].map((td) => td.textContent), [
    "Editor",
    "3",
    "today",
    "Revoke",
  ]);
});

Deno.test("Table labels each value for the phone layout, but not the row's heading or its buttons", () => {
  const doc = render(h(Table<Row>, {
    columns: COLUMNS,
    rows: [{ id: 1, name: "Editor", used: 3 }],
    rowKey: (r) => r.id,
  }));
  const cells = [...doc.querySelectorAll("tbody td")];
  assert.deepEqual(cells.map((td) => td.getAttribute("data-label")), [null, "Used", null, null]);
  assert.match(cells[1].getAttribute("class")!, /max-sm:before:content-\[attr\(data-label\)\]/);
  assert.match(cells[0].getAttribute("class")!, /max-sm:order-first/);
  assert.match(cells[1].getAttribute("class")!, /\btext-right\b/);
  // A column shown from md up is hidden on smaller screens and never stacked.
  assert.match(cells[2].getAttribute("class")!, /\bmax-md:hidden\b/);
  assert.doesNotMatch(cells[2].getAttribute("class")!, /max-sm:flex/);
  assert.match(doc.querySelector("thead")!.getAttribute("class")!, /\bmax-sm:hidden\b/);
});

Deno.test("Table shows its empty text across every column when there are no rows", () => {
  const doc = render(
    h(Table<Row>, { columns: COLUMNS, rows: [], rowKey: (r) => r.id, empty: "No keys yet" }),
  );
  const cell = doc.querySelector("tbody td")!;
  assert.equal(cell.textContent, "No keys yet");
  assert.equal(cell.getAttribute("colspan"), "4");
  const bare = render(
    h(Table<Row>, { columns: COLUMNS, rows: [], rowKey: (r) => r.id, caption: "Per model" }),
  );
  assert.equal(bare.querySelectorAll("tbody tr").length, 0);
  assert.equal(bare.querySelector("caption")!.textContent, "Per model");
});
