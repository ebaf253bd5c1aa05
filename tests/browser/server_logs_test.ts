import assert from "node:assert/strict";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../helpers/servers.ts";

browserTest(
  "a stopped server's last log stays readable on the dashboard, searchable and downloadable",
  async () => {
    await using rt = await testRuntime({ env: serverEnv() });
    await rt.start();
    const admin = await createUser(rt, { admin: true });
    const model = await modelDir(rt.dataDir, { load_delay_ms: 0 });
    const profile = await createProfile(rt, admin, { name: "Ran once", model_path: model });
    await rt.deps.supervisor.start(profile.id, { wait: true });
    await rt.deps.supervisor.stop(profile.id);
    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/servers`);
      await page.waitForSelector("[data-testid=server-board].ready");
      const item = page.locator("[data-testid=quick-start-item]", { hasText: "Ran once" });
      await item.locator("button", { hasText: "Last log" }).click();
      const panel = item.locator("[data-testid=log-panel]");
      await panel.locator("text=MLX handler initialized successfully").waitFor();
      await panel.locator("text=Stopping (SIGTERM)").waitFor();

      await item.locator("[data-testid=log-search]").fill("UVICORN running");
      await item.locator("[data-testid=log-matches]").waitFor();
      assert.match(await item.locator("[data-testid=log-matches]").textContent() ?? "", /^1 of \d+ lines$/);
      assert.deepEqual(await panel.locator("mark").allTextContents(), ["Uvicorn running"]);
      assert.equal(await panel.locator("div").count(), 1);
      await item.locator("[data-testid=log-search]").fill("no such text anywhere");
      await panel.locator("text=No line matches").waitFor();

      const href = await item.locator("[data-testid=log-download]").getAttribute("href");
      assert.equal(href, `/api/servers/${profile.id}/logs?download=1`);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        item.locator("[data-testid=log-download]").click(),
      ]);
      assert.equal(download.suggestedFilename(), "Ran-once.log");
    });
  },
);
