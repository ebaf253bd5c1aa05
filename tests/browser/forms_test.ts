import assert from "node:assert/strict";
import { browserTest, withPage } from "../helpers/browser.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";

browserTest(
  "the register form shows every problem at once, names the fields by label and clears each as it is fixed",
  async () => {
    await using rt = await testRuntime();
    const server = listen(rt);
    try {
      await withPage(async (page) => {
        await page.goto(`${server.url}/login`);
        await page.waitForSelector("[data-testid=first-account] >> text=the first account becomes the admin");
        await page.click("[data-testid=first-account] a");
        await page.waitForSelector("[data-testid=register-form][data-hydrated]");
        await page.fill("#field-password", "short");
        await page.fill("#field-confirm", "other");
        await page.click("button[type=submit]");
        const summary = page.locator("[data-testid=register-form] [role=alert]");
        await summary.waitFor();
        assert.equal(await summary.textContent(), "Check Email, Password and Confirm password");
        assert.equal(await page.textContent("[data-testid=error-email]"), "Email is required");
        assert.equal(
          await page.textContent("[data-testid=error-password]"),
          "Password must be at least 8 characters",
        );
        assert.equal(await page.textContent("[data-testid=error-confirm]"), "The passwords do not match");

        await page.fill("#field-email", "ada@example.com");
        assert.equal(await page.locator("[data-testid=error-email]").count(), 0);
        assert.equal(await summary.textContent(), "Check Password and Confirm password");
        await page.fill("#field-password", "a long enough password");
        await page.fill("#field-confirm", "a long enough password");
        assert.equal(await summary.count(), 0);
        await page.click("button[type=submit]");
        await page.waitForURL(`${server.url}/servers`);
      });
    } finally {
      await server.stop();
    }
  },
);
