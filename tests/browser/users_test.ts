import assert from "node:assert/strict";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";

browserTest(
  "the Users page fits a 375 px phone, and never offers to disable, demote or delete yourself",
  async () => {
    await using rt = await testRuntime();
    const admin = await createUser(rt, { admin: true, email: "a-very-long-admin-address@example.com" });
    await createUser(rt, { email: "bob@example.com" });
    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/users`);
      await page.waitForSelector("[data-testid=users-table][data-hydrated]");
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `the page is ${width} px wide`);

      const me = page.locator(`[data-testid=user-row][data-email='${admin.email}']`);
      for (const label of ["Disable", "Remove admin", "Delete"]) {
        const button = me.locator("button", { hasText: label });
        assert.equal(await button.isDisabled(), true, label);
        assert.match(await button.getAttribute("title") ?? "", /your own account/);
        const box = await button.boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `${label} is on screen`);
      }
      assert.equal(
        await me.locator("[data-testid=self-note]").textContent(),
        "You cannot disable, demote or delete your own account: ask another admin",
      );
      assert.equal(await me.locator("button", { hasText: "Reset password" }).isDisabled(), false);

      const bob = page.locator("[data-testid=user-row][data-email='bob@example.com']");
      assert.equal(await bob.locator("[data-testid=self-note]").count(), 0);
      await bob.locator("button", { hasText: "Make admin" }).click();
      await page.click("[data-testid=confirm]");
      await bob.locator("button", { hasText: "Remove admin" }).waitFor();
      assert.equal(await bob.locator("button", { hasText: "Delete" }).isDisabled(), false);
    }, { viewport: { width: 375, height: 740 } });
  },
);
