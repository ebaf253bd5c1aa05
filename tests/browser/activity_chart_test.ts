import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { activityRow } from "../helpers/activity.ts";

/** A screenshot of the tokens/s panel, with its series shown or hidden. */
async function tokensPanel(page: Page, shown: boolean): Promise<Uint8Array> {
  await page.evaluate((shown) => {
    const series = document.querySelector("[data-unit='Tokens/s'] [data-series]") as SVGElement;
    series.style.visibility = shown ? "visible" : "hidden";
  }, shown);
  return await page.locator("[data-unit='Tokens/s'] [data-testid=chart-plot]").screenshot();
}

browserTest(
  "on a phone in dark mode the Activity chart draws tokens/s, even for lone minutes, on its own axis beside requests a minute",
  async () => {
    await using rt = await testRuntime();
    const admin = await createUser(rt, { admin: true });
    // Minutes apart: no tokens/s value has a neighbour, so a chart of lines alone would draw nothing.
    let n = 0;
    for (const [ago, count, tps] of [[50, 3, 42], [30, 7, 37.5], [10, 1, 55]] as const) {
      for (let i = 0; i < count; i++) {
        rt.deps.activity.record(activityRow(++n, {
          created_at: new Date(Date.now() - ago * 60_000).toISOString(),
          tokens_per_second: tps,
        }));
      }
    }
    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/activity`);
      await page.waitForSelector("[data-testid=activity-view][data-hydrated]");
      const panels = page.locator("[data-testid=chart-panel]");
      assert.deepEqual(await panels.evaluateAll((ps) => ps.map((p) => p.getAttribute("data-unit"))), [
        "Requests a minute",
        "Tokens/s",
      ]);
      const ticks = (unit: string) =>
        page.locator(`[data-unit='${unit}'] [data-testid=chart-y-ticks] span`).allTextContents();
      assert.deepEqual(
        await ticks("Requests a minute"),
        ["8", "6", "4", "2", "0"],
        "counts, not percentages",
      );
      assert.deepEqual(await ticks("Tokens/s"), ["60", "45", "30", "15", "0"]);
      assert.equal(await page.locator("rect[data-bar]").count(), 3, "a bar for each minute with requests");

      // The tokens/s series paints pixels: hiding it changes the picture.
      const drawn = await tokensPanel(page, true);
      const hidden = await tokensPanel(page, false);
      assert.notDeepEqual(drawn, hidden, "the tokens/s series is drawn");

      const fits = await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
      assert.ok(fits, "nothing is wider than the phone");
      const box = await page.locator("[data-unit='Tokens/s'] [data-testid=chart-plot]").boundingBox();
      assert.ok(box && box.width >= 250, `the plot keeps most of the width (${box?.width} px)`);
    }, { viewport: { width: 375, height: 800 }, colorScheme: "dark" });
  },
);
