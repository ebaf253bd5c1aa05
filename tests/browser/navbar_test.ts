import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, launchBrowser, signIn, withSignedInPage } from "../helpers/browser.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";

const GIB = 1024 ** 3;

browserTest(
  "the RAM pill shows a reading at first paint, before any script runs, and keeps its place when live readings arrive",
  async () => {
    await using rt = await testRuntime();
    await rt.start();
    const admin = await createUser(rt, { admin: true });
    const server = listen(rt);
    const browser = await launchBrowser();
    try {
      // No JavaScript: what the pill shows is what the server rendered.
      const context = await browser.newContext({
        javaScriptEnabled: false,
        viewport: { width: 1280, height: 800 },
      });
      const still = await context.newPage();
      await signIn(still, admin.token, server.url);
      await still.goto(`${server.url}/servers`);
      const total = (await rt.deps.system.metrics()).memory.total;
      const text = await still.textContent("[data-testid=memory-indicator]") ?? "";
      assert.match(
        text,
        /^RAM [\d.]+ [KMGT]?B \/ [\d.]+ [KMGT]?B$/,
        `the pill shows ${JSON.stringify(text)}`,
      );
      assert.ok(text.includes(`/ ${(total / GIB).toFixed(1)} GB`) || total < GIB, text);
      await context.close();
    } finally {
      await browser.close();
      await server.stop();
    }

    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/servers`);
      await page.waitForSelector("[data-testid=server-board][data-hydrated]");
      const pill = page.locator("[data-testid=memory-indicator]");
      assert.notEqual(await pill.textContent(), "RAM …");
      const signOut = page.locator("header button", { hasText: "Sign out" }).first();
      const before = await signOut.boundingBox();
      const pillBefore = await pill.boundingBox();
      for (let i = 0; i < 50 && await pill.textContent() !== "RAM 48.0 GB / 64.0 GB"; i++) {
        rt.deps.bus.publish("system.metrics", {
          memory: { used: 48 * GIB, total: 64 * GIB, percent: 75 },
          at: new Date().toISOString(),
        });
        await page.waitForTimeout(100);
      }
      assert.equal(await pill.textContent(), "RAM 48.0 GB / 64.0 GB");
      assert.deepEqual(await signOut.boundingBox(), before, "Sign out did not move");
      assert.deepEqual(await pill.boundingBox(), pillBefore, "the pill kept its size");
    });
  },
);

/** How the bar lays out: whether anything wraps or leaves the screen. */
async function barLayout(page: Page) {
  return await page.evaluate(() => {
    const nav = document.querySelector("header nav") as HTMLElement;
    const brand = [...nav.querySelectorAll("a span")].find((s) => s.textContent === "MLX Manager")!;
    const signOut = [...nav.querySelectorAll("button")].find((b) =>
      b.textContent === "Sign out" && b.offsetParent !== null
    );
    const box = signOut?.getBoundingClientRect();
    return {
      brandLines: brand.getClientRects().length === 1 && brand.getBoundingClientRect().height < 30,
      signOut: box
        ? box.right <= innerWidth && box.height < 40 && signOut!.getClientRects().length === 1
        : null,
      navFits: nav.scrollWidth <= nav.clientWidth,
      pageFits: document.documentElement.scrollWidth <= innerWidth,
      height: nav.getBoundingClientRect().height,
    };
  });
}

browserTest(
  "the navbar holds every link, the RAM pill and Sign out on one line at 1280 px, without wrapping MLX Manager",
  async () => {
    await using rt = await testRuntime();
    const admin = await createUser(rt, { admin: true, email: "someone.with.a.rather.long.name@example.com" });
    for (const [width, scheme] of [[1280, "light"], [1024, "dark"]] as const) {
      await withSignedInPage(rt, admin, async (page, url) => {
        await page.goto(`${url}/servers`);
        await page.waitForSelector("[data-testid=server-board][data-hydrated]");
        const layout = await barLayout(page);
        assert.deepEqual(
          { ...layout, height: layout.height <= 56 },
          { brandLines: true, signOut: true, navFits: true, pageFits: true, height: true },
          `at ${width} px: ${JSON.stringify(layout)}`,
        );
        for (const label of ["Servers", "Models", "Machines", "Users"]) {
          assert.ok(
            await page.locator("header nav a", { hasText: label }).first().isVisible(),
            `${label} at ${width}`,
          );
        }
        assert.equal(
          await page.locator("[data-testid=memory-indicator]").isVisible(),
          width >= 1280,
          "the pill from 1280 px",
        );
      }, { viewport: { width, height: 700 }, colorScheme: scheme });
    }
  },
);
