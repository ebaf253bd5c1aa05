import assert from "node:assert/strict";
import { browserTest, signIn, withPage, withSignedInPage } from "../helpers/browser.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../helpers/servers.ts";
import { FakeLaunchd } from "../helpers/fake_launchd.ts";
import { macRunner } from "../helpers/recorded_runner.ts";

browserTest(
  "an admin installs a profile as a LaunchAgent from its page and the dashboard shows it as launchd's",
  async () => {
    const launchd = new FakeLaunchd(501, macRunner());
    const rt = await testRuntime({ env: serverEnv(), platform: { os: "darwin", uid: 501, runner: launchd } });
    try {
      const admin = await createUser(rt, { admin: true });
      const profile = await createProfile(rt, admin, {
        name: "qwen-at-login",
        model_path: await modelDir(rt.dataDir),
        auto_start: true,
      });
      await withSignedInPage(rt, admin, async (page, url) => {
        await page.goto(`${url}/profiles/${profile.id}`);
        const panel = page.locator("[data-testid=launchd-panel][data-hydrated]");
        await panel.waitFor();
        assert.equal(await panel.locator("[data-testid=launchd-status]").textContent(), "Not installed");
        await panel.locator("text=Show plist").click();
        await page.waitForSelector("[data-testid=plist] >> text=com.mlx-manager.profile-1");
        await panel.locator("button:has-text('Install')").click();
        await page.waitForSelector("[data-testid=launchd-status] >> text=Running, pid");

        await page.goto(`${url}/servers`);
        const tile = page.locator(`[data-testid=server-tile][data-profile-id="${profile.id}"]`);
        await tile.waitFor();
        assert.equal(await tile.locator("[data-testid=managed-by]").textContent(), "launchd");
        // The sweep turns it running without a reload.
        const deadline = Date.now() + 15_000;
        while (Date.now() < deadline && await tile.getAttribute("data-state") !== "running") {
          await rt.deps.launchdServers.refresh();
          await page.waitForTimeout(200);
        }
        assert.equal(await tile.getAttribute("data-state"), "running");

        await page.goto(`${url}/profiles/${profile.id}`);
        await page.locator("[data-testid=launchd-panel][data-hydrated] button:has-text('Uninstall')").click();
        await page.waitForSelector("[data-testid=launchd-status] >> text=Not installed");
        assert.equal(launchd.jobs.size, 0);
      });
    } finally {
      await rt.close();
      await launchd.close();
    }
  },
);

browserTest(
  "off macOS the profile page says launchd is macOS-only and still previews the plist",
  async () => {
    const rt = await testRuntime({
      env: serverEnv(),
      platform: { os: "linux", uid: 1000, runner: macRunner() },
    });
    const server = listen(rt);
    try {
      const admin = await createUser(rt, { admin: true });
      const profile = await createProfile(rt, admin, { model_path: "mlx-community/Qwen3-4B-4bit" });
      await withPage(async (page) => {
        await signIn(page, admin.token, server.url);
        await page.goto(`${server.url}/profiles/${profile.id}`);
        const panel = page.locator("[data-testid=launchd-panel][data-hydrated]");
        await panel.waitFor();
        assert.match(
          await panel.textContent() ?? "",
          /launchd services are macOS-only: this manager runs on linux/,
        );
        assert.equal(await panel.locator("button:has-text('Install')").count(), 0);
        await panel.locator("text=Show plist").click();
        await page.waitForSelector("[data-testid=plist] >> text=<key>ProgramArguments</key>");
      });
      await withPage(async (page) => {
        await signIn(page, admin.token, server.url);
        await page.goto(`${server.url}/profiles/${profile.id}`);
        await page.locator("[data-testid=launchd-panel][data-hydrated]").waitFor();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 375, `the page scrolls sideways: ${width}px`);
      }, { viewport: { width: 375, height: 740 } });
    } finally {
      await server.stop();
      await rt.close();
    }
  },
);

browserTest("plain users do not see the launchd panel", async () => {
  const rt = await testRuntime({ env: serverEnv() });
  try {
    await createUser(rt, { admin: true });
    const user = await createUser(rt);
    const profile = await createProfile(rt, user, { model_path: "mlx-community/Qwen3-4B-4bit" });
    await withSignedInPage(rt, user, async (page, url) => {
      await page.goto(`${url}/profiles/${profile.id}`);
      await page.waitForSelector("form");
      assert.equal(await page.locator("[data-testid=launchd-panel]").count(), 0);
    });
  } finally {
    await rt.close();
  }
});
