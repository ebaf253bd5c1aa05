import assert from "node:assert/strict";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { alive, modelDir, serverEnv } from "../helpers/servers.ts";
import { freePort } from "../helpers/net.ts";
import { PROFILE_DEFAULTS } from "../../services/profiles/schemas.ts";

browserTest(
  "create a profile, start it, see it running without a reload, read its log, stop it",
  async () => {
    const rt = await testRuntime({ env: serverEnv({ MLX_MANAGER_HEALTH_INTERVAL: "1" }) });
    await rt.start();
    const admin = await createUser(rt, { admin: true });
    try {
      const model = await modelDir(rt.dataDir, { load_delay_ms: 500 });
      await withSignedInPage(rt, admin, async (page, url) => {
        // The Models page links here with the model (and parsers) filled in.
        await page.goto(
          `${url}/profiles/new?model_path=${encodeURIComponent(model)}&tool_call_parser=qwen3`,
        );
        await page.waitForSelector("[data-testid=profile-form][data-hydrated]");
        assert.equal(await page.inputValue("#field-model_path"), model);
        assert.equal(await page.inputValue("#field-tool_call_parser"), "qwen3");
        // The model's config.json says qwen3: the empty reasoning parser is suggested.
        await page.waitForFunction(() =>
          (document.querySelector("#field-reasoning_parser") as HTMLSelectElement | null)?.value === "qwen3"
        );
        const port = await page.inputValue("#field-port");
        assert.match(port, /^\d+$/, "the next free port is filled in");

        await page.fill("#field-name", "Browser profile");
        await page.fill("#field-port", "80");
        await page.click("[data-testid=profile-form] button[type=submit]");
        await page.waitForSelector(
          "[data-testid=error-port] >> text=Port must be a whole number from 1024 to 65535",
        );
        // The summary names the field by its label, and goes once the field is fixed.
        const summary = page.locator("[data-testid=profile-form] [role=alert]", { hasText: "Check" });
        assert.equal(await summary.textContent(), "Check Port");
        await page.fill("#field-port", port);
        await page.locator("[data-testid=error-port]").waitFor({ state: "detached" });
        assert.equal(await summary.count(), 0);
        await page.click("[data-testid=profile-form] button[type=submit]");
        await page.waitForURL(`${url}/profiles`);
        await page.waitForSelector(
          "[data-testid=profile-card][data-name='Browser profile'] [data-state=stopped]",
        );

        await page.goto(`${url}/servers`);
        await page.waitForSelector("[data-testid=server-board].ready");
        await page.waitForFunction(() =>
          document.querySelector("[data-testid=live-status]")?.textContent === "Live"
        );
        const item = page.locator("[data-testid=quick-start-item]", { hasText: "Browser profile" });
        await item.locator("button", { hasText: "Start" }).click();
        const tile = page.locator("[data-testid=server-tile]", { hasText: "Browser profile" });
        await tile.locator("[data-state=running]").waitFor();
        await tile.locator("[data-testid=server-health]", { hasText: "Healthy" }).waitFor();
        assert.match(
          await tile.locator("code").first().innerText(),
          new RegExp(`^http://127\\.0\\.0\\.1:${port}/v1$`),
        );
        const pid = rt.deps.supervisor.list()[0].pid!;

        await tile.locator("button", { hasText: "Logs" }).click();
        await tile.locator("[data-testid=log-panel]", { hasText: "Uvicorn running on" }).waitFor();
        // A new line arrives live.
        await (await fetch(`http://127.0.0.1:${port}/v1/models`)).body?.cancel();
        await tile.locator("[data-testid=log-panel]", { hasText: "GET /v1/models" }).waitFor();

        await tile.locator("button", { hasText: "Stop" }).click();
        await tile.waitFor({ state: "detached" });
        await page.locator("[data-testid=quick-start-item]", { hasText: "Browser profile" }).waitFor();
        assert.equal(alive(pid), false);
      });
    } finally {
      await rt.close();
    }
  },
);

browserTest(
  "the profiles list duplicates under a new name, deletes after confirming, and the edit form clears a field",
  async () => {
    const rt = await testRuntime({ env: serverEnv() });
    const admin = await createUser(rt, { admin: true });
    try {
      const profile = await rt.deps.profiles.create({
        ...PROFILE_DEFAULTS,
        name: "Original",
        description: "To be cleared",
        model_path: "mlx-community/Qwen3-8B-4bit",
        port: freePort(),
      });
      await withSignedInPage(rt, admin, async (page, url) => {
        await page.goto(`${url}/profiles`);
        await page.waitForSelector("[data-testid=profile-list][data-hydrated]");

        const card = (name: string) => page.locator(`[data-testid=profile-card][data-name='${name}']`);
        await card("Original").locator("button", { hasText: "Duplicate" }).click();
        assert.equal(await page.inputValue("#field-copy-name"), "Original (copy)");
        await page.fill("#field-copy-name", "Original");
        await page.locator("dialog button[type=submit]").click();
        await page.waitForSelector("[data-testid=error-copy-name] >> text=Profile name already exists");
        await page.fill("#field-copy-name", "Second");
        await page.locator("dialog button[type=submit]").click();
        await card("Second").waitFor();

        await card("Second").locator("button", { hasText: "Delete" }).click();
        await page.locator("dialog >> text=Its server is stopped first").waitFor();
        await page.click("[data-testid=confirm]");
        await card("Second").waitFor({ state: "detached" });
        assert.deepEqual(rt.deps.profiles.list().map((p) => p.name), ["Original"]);

        await card("Original").locator("a", { hasText: "Edit" }).click();
        await page.waitForSelector("[data-testid=profile-form][data-hydrated]");
        await page.fill("#field-description", "");
        await page.click("[data-testid=profile-form] button[type=submit]");
        await page.waitForURL(`${url}/profiles`);
        assert.equal(rt.deps.profiles.get(profile.id).description, null);
      });
    } finally {
      await rt.close();
    }
  },
);
