import assert from "node:assert/strict";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { startFakeHub } from "../fixtures/fake_hub.ts";

browserTest(
  "the model search lives in the address: a reload, Back from a model page and a shared link show the same search",
  async () => {
    const hub = startFakeHub([
      { id: "mlx-community/Qwen3-8B-4bit", downloads: 1000 },
      { id: "mlx-community/Llama-3.2-3B-Instruct-8bit", downloads: 900 },
      { id: "someone/Qwen-Else", downloads: 10, tags: ["mlx"] },
    ]);
    await using rt = await testRuntime({ env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url } });
    try {
      const user = await createUser(rt, { admin: true });
      await withSignedInPage(rt, user, async (page, url) => {
        const results = () =>
          page.locator("[data-testid=search-result]").evaluateAll((els) =>
            els.map((e) => e.getAttribute("data-model"))
          );
        await page.goto(`${url}/models`);
        await page.waitForSelector("[data-testid=model-browser][data-hydrated]");
        await page.waitForSelector("[data-testid=search-result] >> nth=1");
        await page.fill("[data-testid=search-input]", "qwen");
        await page.waitForURL((u) => u.searchParams.get("q") === "qwen");
        await page.waitForFunction(() =>
          document.querySelectorAll("[data-testid=search-result]").length === 1
        );
        assert.deepEqual(await results(), ["mlx-community/Qwen3-8B-4bit"]);

        await page.reload();
        await page.waitForSelector("[data-testid=model-browser][data-hydrated]");
        assert.equal(await page.inputValue("[data-testid=search-input]"), "qwen");
        await page.waitForFunction(() =>
          document.querySelectorAll("[data-testid=search-result]").length === 1
        );

        // To a model's page and back: the search is still there.
        await page.click("[data-testid=search-result] [data-testid=model-page-link]");
        await page.waitForURL(`${url}/models/mlx-community/Qwen3-8B-4bit`);
        await page.goBack();
        await page.waitForSelector("[data-testid=model-browser][data-hydrated]");
        assert.equal(await page.inputValue("[data-testid=search-input]"), "qwen");

        // Any author: the address keeps the empty author, and a new page opens on it.
        await page.fill("[data-testid=author-input]", "");
        await page.waitForURL((u) => u.searchParams.get("author") === "");
        await page.goto(page.url());
        await page.waitForSelector("[data-testid=model-browser][data-hydrated]");
        assert.equal(await page.inputValue("[data-testid=author-input]"), "");
        await page.waitForFunction(() =>
          document.querySelectorAll("[data-testid=search-result]").length === 2
        );
        assert.deepEqual((await results()).sort(), ["mlx-community/Qwen3-8B-4bit", "someone/Qwen-Else"]);
      }, { viewport: { width: 375, height: 800 } });
    } finally {
      await hub.close();
    }
  },
);
