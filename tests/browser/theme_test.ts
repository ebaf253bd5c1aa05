import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, withPage, withSignedInPage } from "../helpers/browser.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";

/** The page background colour and what the server sent on `<html>` before any script ran. */
async function painted(page: Page) {
  return await page.evaluate(() => ({
    background: getComputedStyle(document.body).backgroundColor,
    theme: document.documentElement.dataset.theme,
  }));
}

const LIGHT = "oklch(0.984 0.003 247.858)";
const DARK = "oklch(0.129 0.042 264.695)";

browserTest(
  "the theme switch sets dark, light or system, and a reload paints the chosen theme from the first byte",
  async () => {
    await using rt = await testRuntime();
    const admin = await createUser(rt, { admin: true });
    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/servers`);
      assert.deepEqual(
        await painted(page),
        { background: LIGHT, theme: "system" },
        "system, on a light system",
      );
      await page.waitForSelector(
        "[data-testid=theme-switch] [data-theme-option=system][aria-pressed=true]",
      );

      await page.click("[data-testid=theme-switch] [data-theme-option=dark]");
      assert.deepEqual(await painted(page), { background: DARK, theme: "dark" }, "applied at once");

      // The reload's HTML already carries the theme: the server read the cookie.
      const response = await page.reload();
      assert.match(await response!.text(), /<html lang="en" data-theme="dark">/);
      assert.deepEqual(await painted(page), { background: DARK, theme: "dark" });
      await page.waitForSelector("[data-testid=theme-switch] [data-theme-option=dark][aria-pressed=true]");

      await page.click("[data-testid=theme-switch] [data-theme-option=light]");
      await page.emulateMedia({ colorScheme: "dark" });
      await page.reload();
      assert.deepEqual(
        await painted(page),
        { background: LIGHT, theme: "light" },
        "light wins over a dark system",
      );

      await page.click("[data-testid=theme-switch] [data-theme-option=system]");
      await page.reload();
      assert.deepEqual(
        await painted(page),
        { background: DARK, theme: "system" },
        "system follows a dark system",
      );
    });
  },
);

browserTest("the sign-in page is painted in the remembered theme too", async () => {
  await using rt = await testRuntime();
  const server = listen(rt);
  try {
    await withPage(async (page) => {
      await page.context().addCookies([{ name: "mlx_theme", value: "dark", url: server.url }]);
      await page.goto(`${server.url}/login`);
      assert.deepEqual(await painted(page), { background: DARK, theme: "dark" });
    });
  } finally {
    await server.stop();
  }
});
