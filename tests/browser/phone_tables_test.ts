import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, signIn, withPage } from "../helpers/browser.ts";
import { startGateway } from "../routes/v1/setup.ts";

/** A model name as long as real ones, with no space to wrap at. */
const MODEL = "qwen3-coder-30b-a3b-instruct-4bit";

const TABLES = [
  {
    path: "/keys",
    ready: "[data-testid=keys-manager][data-hydrated]",
    table: "[data-testid=keys-manager] table",
  },
  {
    path: "/activity",
    ready: "[data-testid=activity-view][data-hydrated]",
    table: "[data-testid=totals-per-model]",
  },
  {
    path: "/activity",
    ready: "[data-testid=activity-view][data-hydrated]",
    table: "[data-testid=activity-table]",
  },
];

interface CellShape {
  /** The column's label as the cell shows it (its `::before`), or "" when it shows none. */
  label: string;
  text: string;
  /** How many lines the cell's text takes. */
  lines: number;
  width: number;
  top: number;
  display: string;
}

interface TableShape {
  display: string;
  headerHeight: number;
  width: number;
  rows: CellShape[][];
  /** Luminance (0–1) of the card behind the table and of a cell's text. */
  background: number;
  color: number;
}

/** Measures each shown cell of the table's body rows in the page. */
function measure(page: Page, selector: string): Promise<TableShape> {
  return page.evaluate((selector) => {
    // Tailwind 4 colours compute to oklch(L C H), whose L is the lightness; others to rgb().
    const luminance = (css: string) => {
      const [a, b, c] = (css.match(/[\d.]+/g) ?? ["0", "0", "0"]).map(Number);
      return css.startsWith("oklch") ? a : (0.2126 * a + 0.7152 * b + 0.0722 * c) / 255;
    };
    const table = document.querySelector(selector) as HTMLTableElement;
    const lines = (cell: Element) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0)
        .sort((a, b) => a.top - b.top);
      let count = 0;
      let bottom = -Infinity;
      for (const r of rects) {
        if (r.top >= bottom - 1) {
          count++;
          bottom = r.bottom;
        } else bottom = Math.max(bottom, r.bottom);
      }
      return count;
    };
    const rows = [...table.tBodies[0].rows].map((row) =>
      [...row.cells].filter((cell) => getComputedStyle(cell).display !== "none").map((cell) => {
        const before = getComputedStyle(cell, "::before").content;
        const box = cell.getBoundingClientRect();
        return {
          label: before === "none" || before === "normal" ? "" : before.replace(/^"|"$/g, ""),
          text: cell.textContent ?? "",
          lines: lines(cell),
          width: box.width,
          top: box.top,
          display: getComputedStyle(cell).display,
        };
      })
    );
    const th = table.tHead?.rows[0]?.cells[1];
    let card: Element | null = table;
    while (card && getComputedStyle(card).backgroundColor === "rgba(0, 0, 0, 0)") card = card.parentElement;
    const row = table.tBodies[0].rows[0];
    return {
      display: getComputedStyle(table).display,
      headerHeight: th ? th.getBoundingClientRect().height : 0,
      width: table.getBoundingClientRect().width,
      rows,
      background: luminance(getComputedStyle(card ?? document.body).backgroundColor),
      color: luminance(getComputedStyle(row).color),
    };
  }, selector);
}

async function withTables(
  scheme: "light" | "dark",
  width: number,
  fn: (page: Page, table: string, path: string) => Promise<void>,
) {
  await using gw = await startGateway();
  await gw.profile({ name: MODEL });
  await gw.key({ name: "Cursor on my laptop", models: [MODEL] });
  const { key } = await gw.key({ name: "Open WebUI at home" });
  await gw.client(key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }] });
  await withPage(async (page) => {
    await signIn(page, gw.admin.token, gw.url);
    for (const { path, ready, table } of TABLES) {
      await page.goto(`${gw.url}${path}`);
      await page.waitForSelector(ready);
      await page.locator(`${table} tbody tr`).first().waitFor();
      await fn(page, table, path);
    }
  }, { viewport: { width, height: 800 }, colorScheme: scheme });
}

browserTest(
  "on a 375 px phone in dark mode, the Keys and Activity tables are stacked rows whose cells keep to a line or two",
  async () => {
    await withTables("dark", 375, async (page, selector, path) => {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `${path} scrolls sideways: ${width}px`);
      const table = await measure(page, selector);
      for (const row of table.rows) {
        for (const cell of row) {
          assert.ok(cell.lines <= 2, `${selector}: "${cell.text}" takes ${cell.lines} lines`);
          assert.ok(cell.width >= table.width * 0.8, `${selector}: "${cell.text}" is ${cell.width}px wide`);
        }
        // Every value but the row's heading and its buttons says what it is.
        const labelled = row.filter((cell) => cell.label !== "");
        assert.ok(
          labelled.length >= row.length - 2,
          `${selector}: ${JSON.stringify(row.map((c) => c.label))}`,
        );
      }
      assert.equal(table.headerHeight, 0, `${selector}: the header row is not shown on a phone`);
      const endpoints = table.rows.flat().filter((c) => c.text.startsWith("/v1/"));
      assert.deepEqual(endpoints, [], `${selector}: the endpoint column is left out on a phone`);
      const names = table.rows.flat().filter((c) => c.text.includes(MODEL));
      assert.ok(names.length > 0 || path === "/keys", `${selector} shows ${MODEL}`);
      assert.ok(table.background < 0.3, `${selector}: the card is dark (${table.background})`);
      assert.ok(table.color > 0.8, `${selector}: the text is light (${table.color})`);
    });
  },
);

browserTest("at desktop width the Keys and Activity tables are ordinary tables, one line a row", async () => {
  await withTables("light", 1280, async (page, selector) => {
    const table = await measure(page, selector);
    assert.equal(table.display, "table");
    assert.ok(table.headerHeight > 0, `${selector}: the header row is shown`);
    for (const row of table.rows) {
      assert.ok(row.length >= 4, `${selector}: a row shows ${row.length} cells`);
      for (const cell of row) {
        assert.equal(cell.display, "table-cell");
        assert.equal(cell.label, "", `${selector}: a cell repeats its header`);
        assert.equal(cell.top, row[0].top, `${selector}: "${cell.text}" is not on its row's line`);
        assert.ok(cell.lines <= 1, `${selector}: "${cell.text}" takes ${cell.lines} lines`);
      }
    }
    assert.ok(table.background > 0.8, `${selector}: the card is light`);
  });
});
