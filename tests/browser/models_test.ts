import assert from "node:assert/strict";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { startFakeHub } from "../fixtures/fake_hub.ts";
import { MODEL_CONFIGS } from "../fixtures/model_configs.ts";

const MODEL = "mlx-community/Qwen3-8B-4bit";

browserTest(
  "search a model, watch its download progress live, then find it under Local and delete it",
  async () => {
    // Throttled so the progress bar has a few seconds to move.
    const hub = startFakeHub([
      { id: MODEL, downloads: 1000, weightBytes: 1_600_000 },
      {
        id: "mlx-community/Llama-3.2-3B-Instruct-8bit",
        downloads: 900,
        config: MODEL_CONFIGS["mlx-community/Llama-3.2-3B-Instruct-8bit"],
      },
    ], { bytesPerSecond: 300_000 });
    // A running server "uses" the model once the test says so, as the supervisor will report it.
    let running = false;
    const rt = await testRuntime({
      env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url },
      runtime: {
        modelUsage: {
          profilesUsing: (id) => id === MODEL ? [{ id: 1, name: "Qwen chat" }] : [],
          runningUsing: (id) => running && id === MODEL ? [{ id: 1, name: "Qwen chat" }] : [],
        },
      },
    });
    try {
      const user = await createUser(rt, { admin: true });
      await withSignedInPage(rt, user, async (page, url) => {
        await page.goto(`${url}/models`);
        await page.waitForSelector("[data-testid=model-browser][data-hydrated]");
        // Nothing is local yet, so the page opens on search; typing narrows the results after the debounce.
        await page.waitForSelector("[data-testid=search-result] >> nth=1");
        await page.fill("[data-testid=search-input]", "qwen3");
        await page.waitForFunction(() =>
          document.querySelectorAll("[data-testid=search-result]").length === 1
        );
        const card = page.locator(`[data-testid=search-result][data-model='${MODEL}']`);
        assert.equal(await card.locator("[data-testid=badge-family]").textContent(), "Qwen");
        assert.equal(await card.locator("[data-testid=badge-bits]").textContent(), "4-bit");
        // The fake's few hundred KB of weights cannot be an 8B model's: its fit is not known.
        assert.equal(await card.locator("[data-testid=fit-badge]").getAttribute("data-verdict"), "unknown");

        // The Qwen chip filters the results client-side; clearing it brings Llama back.
        await page.fill("[data-testid=search-input]", "");
        await page.waitForFunction(() =>
          document.querySelectorAll("[data-testid=search-result]").length === 2
        );
        await page.click("[data-testid=filter-chip] >> text=Qwen");
        await page.waitForFunction(() =>
          document.querySelectorAll("[data-testid=search-result]").length === 1
        );
        await page.click("text=Clear filters");

        await card.locator("[data-testid=download-button]").click();
        const bar = card.locator("[data-testid=download-bar]");
        await bar.waitFor();
        const value = () => bar.evaluate((el) => (el as HTMLProgressElement).value);
        await page.waitForFunction(
          (m) =>
            Number(
              (document.querySelector(
                `[data-model='${m}'] [data-testid=download-bar]`,
              ) as HTMLProgressElement)?.value,
            ) > 0,
          MODEL,
        );
        const first = await value();
        await page.waitForFunction(
          ([m, v]) =>
            Number(
              (document.querySelector(
                `[data-model='${m}'] [data-testid=download-bar]`,
              ) as HTMLProgressElement)?.value,
            ) > Number(v),
          [MODEL, first] as const,
        );
        assert.ok(await bar.isVisible());
        assert.match(
          await card.locator("[data-testid=download-figures]").textContent() ?? "",
          /\d+% · .* \/ .*ETA/,
        );
        // The Downloads panel shows the same job.
        await page.waitForSelector(`[data-testid=downloads-panel] [data-model='${MODEL}']`);

        await page.waitForSelector(
          `[data-testid=downloads-panel] [data-model='${MODEL}'][data-status=completed]`,
          {
            timeout: 30_000,
          },
        );
        await card.locator("[data-testid=downloaded-badge]").waitFor();

        await page.click("[data-testid=tab-local]");
        const local = page.locator(`[data-testid=local-model][data-model='${MODEL}']`);
        await local.waitFor();
        assert.match(await local.locator("[data-testid=local-size]").textContent() ?? "", /MB on disk/);
        const href = await local.locator("[data-testid=create-profile]").getAttribute("href");
        const link = new URL(href!, url);
        assert.equal(link.pathname, "/profiles/new");
        assert.equal(link.searchParams.get("model_path"), MODEL);
        assert.equal(link.searchParams.get("tool_call_parser"), "qwen3");

        assert.equal(await local.locator("[data-testid=used-by]").textContent(), "Used by Qwen chat");

        // Deleting a model a running server uses asks again, then forces.
        running = true;
        await local.locator("[data-testid=delete-model]").click();
        await page.click("[data-testid=confirm]");
        await page.waitForSelector("[role=alert] >> text=in use by running server Qwen chat");
        assert.equal(await page.textContent("[data-testid=confirm]"), "Delete anyway");
        await page.click("[data-testid=confirm]");
        await local.waitFor({ state: "detached" });
        assert.ok(await page.isVisible("text=No models downloaded yet"));
      });
    } finally {
      await rt.close();
      await hub.close();
    }
  },
);
