import assert from "node:assert/strict";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";

browserTest(
  "the empty dashboard points to Models → Run as well as to a new profile, on a phone in dark mode",
  async () => {
    await using rt = await testRuntime();
    const admin = await createUser(rt, { admin: true });
    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/servers`);
      await page.waitForSelector("[data-testid=server-board][data-hydrated]");
      const empty = page.locator("[data-testid=no-profiles]");
      assert.match(await empty.textContent() ?? "", /press Run/);
      assert.equal(await empty.locator("[data-testid=no-profiles-models]").getAttribute("href"), "/models");
      assert.equal(await empty.locator("a[href='/profiles/new']").count(), 1);
      await empty.locator("[data-testid=no-profiles-models]").click();
      await page.waitForURL(`${url}/models`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
    }, { viewport: { width: 375, height: 800 }, colorScheme: "dark" });
  },
);
