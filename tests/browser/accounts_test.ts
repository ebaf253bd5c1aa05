import assert from "node:assert/strict";
import { browserTest, withPage } from "../helpers/browser.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";

browserTest(
  "first admin registers, approves a second user from the Users page, who then signs in",
  async () => {
    const rt = await testRuntime();
    const server = listen(rt);
    try {
      await withPage(async (admin, browser) => {
        // The first account becomes the admin and is signed in at once.
        await admin.goto(`${server.url}/register`);
        await admin.waitForSelector("[data-testid=register-form][data-hydrated]");
        assert.ok(await admin.isVisible("text=This is the first account"));
        await admin.fill("#field-email", "ada@example.com");
        await admin.fill("#field-password", "ada's long password");
        await admin.fill("#field-confirm", "ada's long password");
        await admin.click("button[type=submit]");
        await admin.waitForURL(`${server.url}/servers`);
        await admin.goto(`${server.url}/users`);
        await admin.waitForSelector("[data-testid=users-table][data-hydrated]");
        assert.equal(await admin.locator("[data-testid=pending-badge]").count(), 0);

        // A second person registers and is told to wait.
        const other = await (await browser.newContext()).newPage();
        await other.goto(`${server.url}/register`);
        await other.waitForSelector("[data-testid=register-form][data-hydrated]");
        await other.fill("#field-email", "bob@example.com");
        await other.fill("#field-password", "bob's long password");
        await other.fill("#field-confirm", "bob's long password");
        await other.click("button[type=submit]");
        await other.waitForSelector("[data-testid=register-pending]");

        // The admin's page updates live: navbar badge and the table row.
        await admin.waitForSelector("[data-testid=pending-badge] >> text=1");
        const row = admin.locator("[data-testid=user-row][data-email='bob@example.com']");
        await row.waitFor();
        assert.equal(await row.locator("[data-testid=user-status]").textContent(), "pending");
        await row.locator("button", { hasText: "Approve" }).click();
        await admin.click("[data-testid=confirm]");
        await admin.waitForFunction(() =>
          document.querySelector("[data-email='bob@example.com'] [data-testid=user-status]")?.textContent ===
            "approved"
        );
        await admin.waitForSelector("[data-testid=pending-badge]", { state: "detached" });

        // Bob signs in: a wrong password shows an error without a reload, then the right one works.
        await other.goto(`${server.url}/login?next=%2Fusers`);
        await other.waitForSelector("[data-testid=login-form][data-hydrated]");
        await other.evaluate(() => (globalThis as unknown as { marker: number }).marker = 42);
        await other.fill("#field-email", "bob@example.com");
        await other.fill("#field-password", "not bob's password");
        await other.click("button[type=submit]");
        await other.waitForSelector("[role=alert] >> text=Incorrect email or password");
        assert.equal(await other.evaluate(() => (globalThis as unknown as { marker: number }).marker), 42);
        await other.fill("#field-password", "bob's long password");
        await other.click("button[type=submit]");
        // Bob is not an admin: next=/users is honoured and answered with 403.
        await other.waitForURL(`${server.url}/users`);
        assert.ok(await other.isVisible("text=Admin access required"));
        await other.goto(`${server.url}/servers`);
        assert.equal(await other.locator("a[href='/users']").count(), 0, "non-admins do not see Users");
      });
    } finally {
      await server.stop();
      await rt.close();
    }
  },
);

browserTest("a pending account is told it waits for approval when signing in", async () => {
  const rt = await testRuntime();
  await rt.deps.accounts.register({ email: "ada@example.com", password: "longenough" });
  await rt.deps.accounts.register({ email: "wait@example.com", password: "longenough" });
  const server = listen(rt);
  try {
    await withPage(async (page) => {
      await page.goto(`${server.url}/servers`);
      await page.waitForURL(/\/login\?next=%2Fservers/);
      await page.waitForSelector("[data-testid=login-form][data-hydrated]");
      await page.fill("#field-email", "wait@example.com");
      await page.fill("#field-password", "longenough");
      await page.click("button[type=submit]");
      await page.waitForSelector("text=waiting for an admin's approval");
    });
  } finally {
    await server.stop();
    await rt.close();
  }
});
