import assert from "node:assert/strict";
import { browserTest, signIn, withPage } from "../helpers/browser.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { serverEnv } from "../helpers/servers.ts";
import { startFakeHub } from "../fixtures/fake_hub.ts";

const MODEL = "mlx-community/Qwen3-8B-4bit";

browserTest(
  "Run on a search result creates the profile, shows the download on the dashboard, then the running server",
  async () => {
    // Throttled so the dashboard has a few seconds of download to show.
    const hub = startFakeHub([{ id: MODEL, downloads: 1000, weightBytes: 1_200_000 }], {
      bytesPerSecond: 400_000,
    });
    const rt = await testRuntime({ env: serverEnv({ MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url }) });
    const server = listen(rt);
    try {
      const user = await createUser(rt, { admin: true });
      await withPage(async (page) => {
        await signIn(page, user.token, server.url);
        await page.goto(`${server.url}/models`);
        await page.waitForSelector("[data-testid=model-browser][data-hydrated]");
        const card = page.locator(`[data-testid=search-result][data-model='${MODEL}']`);
        await card.waitFor();
        // Not downloaded: Run and Download are offered, not New profile.
        assert.equal(await card.locator("[data-testid=new-profile]").count(), 0);
        assert.equal(await card.locator("[data-testid=download-button]").count(), 1);
        await card.locator("[data-testid=run-button]").click();

        await page.waitForURL(/\/servers/);
        const run = page.locator("[data-testid=run-progress] [data-testid=run]");
        await run.waitFor();
        assert.match(await run.locator("[data-testid=run-step]").textContent() ?? "", /downloading/);
        await run.locator("[data-testid=download-bar]").waitFor();

        // Then the server's own tile: starting, then running.
        const [profile] = rt.deps.profiles.list();
        assert.equal(profile.model_path, MODEL);
        assert.equal(profile.tool_call_parser, "qwen3");
        await page.waitForSelector(
          `[data-testid=server-tile][data-profile-id='${profile.id}'][data-state=running]`,
          { timeout: 30_000 },
        );
        await run.waitFor({ state: "detached" });

        // Back on Models the result is downloaded: Run and New profile.
        await page.goto(`${server.url}/models`);
        await page.click("[data-testid=tab-search]");
        await card.locator("[data-testid=downloaded-badge]").waitFor();
        await card.locator("[data-testid=run-button]").waitFor();
        const href = await card.locator("[data-testid=new-profile]").getAttribute("href");
        assert.equal(new URL(href!, server.url).searchParams.get("model_path"), MODEL);
      });
    } finally {
      await server.stop();
      await rt.close();
      await hub.close();
    }
  },
);
