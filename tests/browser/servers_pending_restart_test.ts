import assert from "node:assert/strict";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser, json } from "../helpers/auth.ts";
import { freePort } from "../helpers/net.ts";
import { createProfile, modelDir, serverEnv } from "../helpers/servers.ts";

browserTest(
  "an edit of a running profile says Saved — restart to apply, and its card shows a pending restart until Restart there",
  async () => {
    await using rt = await testRuntime({ env: serverEnv() });
    await rt.start();
    const admin = await createUser(rt, { admin: true });
    const profile = await createProfile(rt, admin, {
      name: "Edited",
      model_path: await modelDir(rt.dataDir, { load_delay_ms: 200 }),
    });
    const start = await rt.app.request(
      `/api/servers/${profile.id}/start?wait=true`,
      json("POST", {}, admin.headers),
    );
    assert.equal(start.status, 200);
    await start.body?.cancel();
    const port = String(freePort());

    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/profiles/${profile.id}`);
      await page.waitForSelector("[data-testid=profile-form][data-hydrated]");
      await page.fill("#field-port", port);
      await page.click("[data-testid=profile-form] button[type=submit]");
      await page.waitForURL(`${url}/servers`);
      await page.waitForSelector("[data-testid=toasts] >> text=Saved — restart to apply");
      const tile = page.locator(`[data-testid=server-tile][data-profile-id="${profile.id}"]`);
      const pending = tile.locator("[data-testid=pending-restart]");
      await pending.waitFor();
      assert.match(await pending.textContent() ?? "", /Restart pending/);
      assert.equal(
        rt.deps.supervisor.status(profile.id).port,
        profile.port,
        "it still runs as it was started",
      );

      await pending.locator("[data-testid=pending-restart-button]").click();
      await pending.waitFor({ state: "detached" });
      await tile.locator("[data-testid=server-state][data-state=running]").waitFor();
      assert.match(await tile.textContent() ?? "", new RegExp(`Port ${port}`));
      assert.equal(rt.deps.supervisor.status(profile.id).port, Number(port), "restarted with the saved port");
    });
  },
);
