import assert from "node:assert/strict";
import { browserTest, signIn, withPage, withSignedInPage } from "../helpers/browser.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { startFakeHub } from "../fixtures/fake_hub.ts";

const MODEL = "mlx-community/Qwen3-8B-4bit";

browserTest(
  "the profile form flags a model that is not downloaded with a Download button, and refuses the manager's port",
  async () => {
    // About 3 s of download, to read the flag while it runs.
    const hub = startFakeHub([{ id: MODEL }], { bytesPerSecond: 100_000 });
    const managerPort = 20000 + Math.floor(Math.random() * 20000);
    const rt = await testRuntime({
      env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url, MLX_MANAGER_PORT: String(managerPort) },
    });
    const server = listen(rt);
    try {
      const user = await createUser(rt, { admin: true });
      await withPage(async (page) => {
        await signIn(page, user.token, server.url);
        await page.goto(`${server.url}/profiles/new`);
        await page.waitForSelector("[data-testid=profile-form][data-hydrated]");
        await page.fill("#field-model_path", MODEL);
        const flag = page.locator("[data-testid=model-not-downloaded]");
        await flag.waitFor();
        assert.match(await flag.textContent() ?? "", /mlx-community\/Qwen3-8B-4bit is not downloaded yet/);

        // The manager's own port is refused by name, before anything is saved.
        await page.fill("#field-name", "Qwen");
        await page.fill("#field-port", String(managerPort));
        await page.click("[data-testid=profile-form] button[type=submit]");
        await page.waitForSelector(
          `[data-testid=error-port] >> text=Port ${managerPort} is MLX Manager's own port (MLX_MANAGER_PORT): choose another`,
        );
        assert.equal(rt.deps.profiles.list().length, 0);

        // The default sampling fields are checked by label too.
        await page.fill("#field-temperature", "3");
        await page.click("[data-testid=profile-form] button[type=submit]");
        await page.waitForSelector(
          "[data-testid=error-temperature] >> text=Default temperature must be a number from 0 to 2",
        );

        // Download from the form: live progress, then the flag goes.
        await flag.locator("[data-testid=model-download]").click();
        await flag.locator("[data-testid=download-bar]").waitFor();
        assert.match(
          await flag.textContent() ?? "",
          /Qwen3-8B-4bit is being downloaded: the profile can be saved now/,
        );
        // The model field's hint does not repeat the flag.
        assert.doesNotMatch(
          await page.textContent("[data-testid=local-model-picker]") ?? "",
          /Not downloaded yet/,
        );
        await flag.waitFor({ state: "detached", timeout: 30_000 });
        assert.equal(await rt.deps.models.local.isDownloaded(MODEL), true);

        // Fixed, the profile saves with its defaults.
        await page.fill("#field-temperature", "0.7");
        await page.fill("#field-port", String(managerPort + 1));
        await page.fill("#field-max_tokens", "512");
        await page.click("[data-testid=profile-form] button[type=submit]");
        await page.waitForURL(`${server.url}/profiles`);
        const [saved] = rt.deps.profiles.list();
        assert.deepEqual([saved.temperature, saved.top_p, saved.max_tokens], [0.7, null, 512]);
        await page.goto(`${server.url}/profiles/new`);
        await page.waitForSelector("[data-testid=profile-form][data-hydrated]");

        // A downloaded model is not flagged.
        await page.fill("#field-model_path", "");
        const detected = page.waitForResponse((r) => r.url().includes("/api/models/detect-options/"));
        await page.fill("#field-model_path", MODEL);
        assert.equal((await (await detected).json()).is_downloaded, true);
        assert.equal(await flag.count(), 0);
      });
    } finally {
      await server.stop();
      await rt.close();
      await hub.close();
    }
  },
);

browserTest(
  "the profile form refuses a repository the hub does not know at its field, instead of offering its download",
  async () => {
    const hub = startFakeHub([{ id: MODEL }]);
    const rt = await testRuntime({ env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url } });
    try {
      const user = await createUser(rt, { admin: true });
      await withSignedInPage(rt, user, async (page, url) => {
        await page.goto(`${url}/profiles/new`);
        await page.waitForSelector("[data-testid=profile-form][data-hydrated]");
        await page.fill("#field-name", "Typo");
        await page.fill("#field-model_path", "mlx-community/Qwen3-8B-4bti");
        const flag = page.locator("[data-testid=model-not-downloaded]");
        await flag.waitFor();
        await page.click("[data-testid=profile-form] button[type=submit]");
        await page.waitForSelector(
          "[data-testid=local-model-picker] .field-error >> text=mlx-community/Qwen3-8B-4bti was not found on Hugging Face: check the name",
        );
        assert.equal(await flag.count(), 0, "no Download for a repository that does not exist");
        assert.doesNotMatch(
          await page.textContent("[data-testid=profile-form]") ?? "",
          /gated|Invalid username/,
        );
        assert.equal(rt.deps.profiles.list().length, 0);

        // Fixed, it exists but is not local: the flag offers its download, and the profile saves.
        await page.fill("#field-model_path", MODEL);
        await flag.locator("[data-testid=model-download]").waitFor();
        await page.click("[data-testid=profile-form] button[type=submit]");
        await page.waitForURL(`${url}/profiles`);
        assert.equal(rt.deps.profiles.list()[0].model_path, MODEL);
      });
    } finally {
      await rt.close();
      await hub.close();
    }
  },
);
