import assert from "node:assert/strict";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../helpers/servers.ts";

browserTest(
  "a server that fails to start shows why on its card, in full, with its last log lines; the dashboard does not call it running",
  async () => {
    await using rt = await testRuntime({ env: serverEnv() });
    await rt.start();
    const admin = await createUser(rt, { admin: true });
    const model = await modelDir(rt.dataDir, { load_delay_ms: 200, fail: "oom" });
    await createProfile(rt, admin, { name: "Too big", model_path: model });
    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/servers`);
      await page.waitForSelector("[data-testid=server-board].ready");
      await page.waitForFunction(() =>
        document.querySelector("[data-testid=live-status]")?.textContent === "Live"
      );
      const item = page.locator("[data-testid=quick-start-item]", { hasText: "Too big" });
      await item.locator("button", { hasText: "Start" }).click();

      const tile = page.locator("[data-testid=server-tile][data-state=failed]", { hasText: "Too big" });
      await tile.waitFor();
      const reason = tile.locator("[data-testid=server-reason]");
      await reason.waitFor();
      assert.equal(await reason.textContent(), "Not enough GPU memory for this model");
      assert.ok(await reason.isVisible(), "shown without a click");
      const log = tile.locator("[data-testid=server-error-log]");
      assert.ok(await log.isVisible());
      assert.match(await log.textContent() ?? "", /Insufficient Memory/);
      assert.equal(
        await page.textContent("[data-testid=all-active]"),
        "Every profile is above: one failed to run.",
      );

      // After a reload the card says the same from the page's own data.
      await page.reload();
      await page.waitForSelector("[data-testid=server-board].ready");
      assert.equal(
        await page.locator("[data-testid=server-tile]", { hasText: "Too big" }).locator(
          "[data-testid=server-reason]",
        ).textContent(),
        "Not enough GPU memory for this model",
      );
    });
  },
);
