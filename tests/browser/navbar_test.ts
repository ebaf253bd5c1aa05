import assert from "node:assert/strict";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";

const GIB = 1024 ** 3;

browserTest(
  "the navbar's memory pill has its place before the first sample, so nothing shifts when it arrives",
  async () => {
    await using rt = await testRuntime();
    const admin = await createUser(rt, { admin: true });
    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/servers`);
      await page.waitForSelector("[data-testid=server-board][data-hydrated]");
      const pill = page.locator("[data-testid=memory-indicator]");
      assert.equal(await pill.textContent(), "RAM …");
      const signOut = page.locator("header button", { hasText: "Sign out" }).first();
      const before = await signOut.boundingBox();
      const pillBefore = await pill.boundingBox();
      for (let i = 0; i < 50 && await pill.getAttribute("data-ready") === null; i++) {
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
