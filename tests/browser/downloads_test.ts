import assert from "node:assert/strict";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { startFakeHub } from "../fixtures/fake_hub.ts";

browserTest(
  "a gated repo says what it needs instead of a Download button; failed and cancelled downloads look apart and Clear finished removes them",
  async () => {
    const hub = startFakeHub([
      { id: "mlx-community/Small", downloads: 30, weightBytes: 100_000, tags: ["mlx"] },
      { id: "mlx-community/Slow", downloads: 20, weightBytes: 15_000_000, tags: ["mlx"] },
      { id: "mlx-community/Huge", downloads: 10, weightBytes: 50_000_000, tags: ["mlx"] },
      { id: "mlx-community/Gated", downloads: 5, gated: "manual", tags: ["mlx"] },
    ], { bytesPerSecond: 1_000_000 });
    // 20 MB free: the huge one fails for want of disk.
    const diskUsage = () => Promise.resolve({ mount: "/", total: 100_000_000, free: 20_000_000 });
    await using rt = await testRuntime({
      env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url },
      runtime: { diskUsage, downloads: { reserveBytes: 0 } },
    });
    try {
      const user = await createUser(rt, { admin: true });
      await withSignedInPage(rt, user, async (page, url) => {
        await page.goto(`${url}/models`);
        await page.waitForSelector("[data-testid=model-browser][data-hydrated]");
        await page.waitForSelector("[data-testid=search-result] >> nth=3");

        const gated = page.locator("[data-testid=search-result][data-model='mlx-community/Gated']");
        assert.equal(await gated.locator("[data-testid=download-button]").count(), 0);
        assert.equal(
          await gated.locator("[data-testid=gated-needs-token]").textContent(),
          "Needs HF_TOKEN and an accepted licence",
        );

        for (const id of ["mlx-community/Small", "mlx-community/Huge", "mlx-community/Slow"]) {
          await page.locator(`[data-testid=search-result][data-model='${id}'] [data-testid=download-button]`)
            .click();
        }
        const panel = page.locator("[data-testid=downloads-panel]");
        const row = (id: string) => panel.locator(`[data-testid=download][data-model='${id}']`);
        await row("mlx-community/Small").and(page.locator("[data-status=completed]")).waitFor();
        await row("mlx-community/Huge").and(page.locator("[data-status=failed]")).waitFor();
        await row("mlx-community/Slow").locator("button", { hasText: "Cancel" }).click();
        await row("mlx-community/Slow").and(page.locator("[data-status=cancelled]")).waitFor();

        assert.equal(
          await row("mlx-community/Huge").locator("[data-testid=download-ended]").textContent(),
          "Failed",
        );
        assert.match(await row("mlx-community/Huge").getAttribute("class") ?? "", /download-failed/);
        assert.equal(
          await row("mlx-community/Slow").locator("[data-testid=download-ended]").textContent(),
          "Cancelled",
        );
        assert.match(await row("mlx-community/Slow").getAttribute("class") ?? "", /download-cancelled/);
        assert.doesNotMatch(
          await row("mlx-community/Small").getAttribute("class") ?? "",
          /download-(failed|cancelled)/,
        );

        await page.click("[data-testid=downloads-clear]");
        await panel.waitFor({ state: "detached" });
        assert.deepEqual(rt.deps.downloads.list(), []);
      });
    } finally {
      await hub.close();
    }
  },
);
