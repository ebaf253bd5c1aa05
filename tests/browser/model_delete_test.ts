import assert from "node:assert/strict";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { startFakeHub } from "../fixtures/fake_hub.ts";
import { createProfile, serverEnv } from "../helpers/servers.ts";
import type { DownloadView } from "../../lib/model_types.ts";

browserTest(
  "a deleted model's download rows go with it, and a model a server runs offers Delete only once it is stopped",
  async () => {
    const hub = startFakeHub([
      { id: "mlx-community/Kept", downloads: 20, weightBytes: 100_000, tags: ["mlx"] },
      { id: "mlx-community/Gone", downloads: 10, weightBytes: 100_000, tags: ["mlx"] },
    ]);
    await using rt = await testRuntime({
      env: serverEnv({ MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url }),
      runtime: { downloads: { reserveBytes: 0 } },
    });
    await rt.start();
    try {
      const admin = await createUser(rt, { admin: true });
      await withSignedInPage(rt, admin, async (page, url) => {
        await page.goto(`${url}/models`);
        await page.waitForSelector("[data-testid=model-browser][data-hydrated]");
        await page.waitForSelector("[data-testid=search-result] >> nth=1");
        for (const id of ["mlx-community/Kept", "mlx-community/Gone"]) {
          await page.locator(`[data-testid=search-result][data-model='${id}'] [data-testid=download-button]`)
            .click();
        }
        const panel = page.locator("[data-testid=downloads-panel]");
        const row = (id: string) => panel.locator(`[data-testid=download][data-model='${id}']`);
        await row("mlx-community/Kept").and(page.locator("[data-status=completed]")).waitFor();
        await row("mlx-community/Gone").and(page.locator("[data-status=completed]")).waitFor();

        // A server runs "Kept" from its snapshot folder: its card says to stop it first.
        const kept = (await rt.deps.models.local.get("mlx-community/Kept"))!;
        const profile = await createProfile(rt, admin, { name: "Keeper", model_path: kept.local_path });
        await rt.deps.supervisor.start(profile.id, { wait: true });
        await page.click("[data-testid=tab-local]");
        const keptCard = page.locator("[data-testid=local-model][data-model='mlx-community/Kept']");
        await keptCard.locator("[data-testid=delete-stop-first]").waitFor();
        assert.equal(await keptCard.locator("[data-testid=delete-model]").isDisabled(), true);
        assert.equal(
          await keptCard.locator("[data-testid=delete-stop-first]").textContent(),
          "Stop it first",
        );
        // Once stopped, Delete comes back without a reload.
        await rt.deps.supervisor.stop(profile.id);
        await page.waitForFunction(() =>
          !document.querySelector(
            "[data-testid=local-model][data-model='mlx-community/Kept'] [data-testid=delete-model]",
          )?.hasAttribute("disabled")
        );
        assert.equal(await keptCard.locator("[data-testid=delete-stop-first]").count(), 0);

        // Deleting "Gone" removes its card and its download row, here and after a reload.
        const goneCard = page.locator("[data-testid=local-model][data-model='mlx-community/Gone']");
        await goneCard.locator("[data-testid=delete-model]").click();
        await page.click("[data-testid=confirm]");
        await goneCard.waitFor({ state: "detached" });
        await row("mlx-community/Gone").waitFor({ state: "detached" });
        assert.equal(await row("mlx-community/Kept").count(), 1, "the other model's row stays");
        const jobs = rt.deps.downloads.list() as DownloadView[];
        assert.deepEqual(jobs.map((d) => d.model_id), ["mlx-community/Kept"]);
        await page.reload();
        await page.waitForSelector("[data-testid=model-browser][data-hydrated]");
        assert.equal(await row("mlx-community/Gone").count(), 0);
      }, { viewport: { width: 375, height: 800 } });
    } finally {
      await hub.close();
    }
  },
);
