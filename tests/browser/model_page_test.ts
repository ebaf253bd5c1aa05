import assert from "node:assert/strict";
import { browserTest, signIn, withPage, withSignedInPage } from "../helpers/browser.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { startFakeHub } from "../fixtures/fake_hub.ts";

const MODEL = "mlx-community/Qwen3-8B-4bit";
const README = [
  "---",
  "license: apache-2.0",
  "---",
  "# Qwen3 8B in MLX",
  "",
  "A **small** model. See [the docs](https://example.com/docs).",
  "",
  "```python",
  "from mlx_lm import load",
  "```",
  "",
  "<script>alert(1)</script>",
].join("\n");

browserTest(
  "the model page shows the rendered card, the files, the fit and downloads the model from there",
  async () => {
    const hub = startFakeHub([{ id: MODEL, downloads: 1000, license: "apache-2.0", readme: README }], {
      bytesPerSecond: 400_000,
    });
    const rt = await testRuntime({
      env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url },
      runtime: { totalMemory: () => 16 * 1024 ** 3 },
    });
    const server = listen(rt);
    try {
      const user = await createUser(rt, { admin: true });
      await withPage(async (page) => {
        await signIn(page, user.token, server.url);
        // From a search result, its name leads to its page.
        await page.goto(`${server.url}/models`);
        await page.waitForSelector("[data-testid=model-browser][data-hydrated]");
        await page.click(`[data-testid=search-result][data-model='${MODEL}'] [data-testid=model-page-link]`);
        await page.waitForURL(`${server.url}/models/${MODEL}`);
        await page.waitForSelector("[data-testid=model-actions][data-hydrated]");

        assert.equal(await page.textContent("[data-testid=model-id]"), MODEL);
        const facts = await page.textContent("[data-testid=model-facts]") ?? "";
        assert.match(facts, /40,960 tokens of context/);
        assert.match(facts, /licence apache-2\.0/);
        // The fake's 256 KiB of weights cannot be an 8B model's: the page says the size is unknown, and why.
        assert.equal(await page.getAttribute("[data-testid=fit-badge]", "data-verdict"), "unknown");
        assert.match(
          await page.textContent("[data-testid=fit-detail]") ?? "",
          /^Its size is unknown: the [\d.]+ KB of weights its files list are too little for 8B parameters, so whether it fits cannot be told\.$/,
        );

        // The card is Markdown rendered as elements: heading, bold, a link, a code block; raw HTML as text.
        const card = page.locator("[data-testid=model-readme]");
        assert.equal(await card.locator(".md-heading").first().textContent(), "Qwen3 8B in MLX");
        assert.equal(await card.locator("strong").textContent(), "small");
        assert.equal(await card.locator("a").getAttribute("href"), "https://example.com/docs");
        assert.match(
          await card.locator("[data-testid=code-block]").textContent() ?? "",
          /from mlx_lm import load/,
        );
        assert.equal(await card.locator("script").count(), 0);
        assert.match(await card.textContent() ?? "", /<script>alert\(1\)<\/script>/);
        assert.doesNotMatch(await card.textContent() ?? "", /license: apache/);

        const rows = page.locator("[data-testid=model-files] tr");
        assert.equal(await rows.count(), hub.paths(MODEL).length);
        assert.match(
          await page.textContent("[data-testid=model-files]") ?? "",
          /model-00001-of-00002\.safetensors/,
        );

        // Download from the page: live progress, then Downloaded with Run and New profile.
        assert.equal(await page.locator("[data-testid=new-profile]").count(), 0);
        await page.click("[data-testid=download-button]");
        await page.waitForSelector("[data-testid=model-actions] [data-testid=download-bar]");
        await page.waitForSelector("[data-testid=model-actions] [data-testid=downloaded-badge]", {
          timeout: 30_000,
        });
        await page.waitForSelector("[data-testid=model-actions] [data-testid=run-button]");
        const href = await page.getAttribute("[data-testid=new-profile]", "href");
        assert.equal(new URL(href!, server.url).searchParams.get("model_path"), MODEL);
        assert.equal(await rt.deps.models.local.isDownloaded(MODEL), true);
      });
    } finally {
      await server.stop();
      await rt.close();
      await hub.close();
    }
  },
);

browserTest("an unknown model's page says it is not found", async () => {
  const hub = startFakeHub([]);
  const rt = await testRuntime({ env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url } });
  const server = listen(rt);
  try {
    const user = await createUser(rt, { admin: true });
    await withPage(async (page) => {
      await signIn(page, user.token, server.url);
      const res = await page.goto(`${server.url}/models/org/Missing`);
      assert.equal(res?.status(), 404);
      assert.match(await page.textContent("body") ?? "", /org\/Missing/);
    });
  } finally {
    await server.stop();
    await rt.close();
    await hub.close();
  }
});

const LONG_MODEL = "mlx-community/DeepSeek-R1-Distill-Qwen-32B-Instruct-Abliterated-MLX-4bit-DWQ-v2";
const WIDE_README = [
  "# A card written for wide screens",
  "",
  `A word that never breaks: ${"averyverylongwordwithoutanybreaks".repeat(6)}, and a bare URL ` +
  `https://example.com/${"path-segment/".repeat(12)}.`,
  "",
  "```python",
  `x = load("${"a-very-long-argument-".repeat(10)}")`,
  "```",
  "",
  "| benchmark | score | notes |",
  "|---|---|---|",
  `| ${"cell ".repeat(30)} | 2 | ${"n".repeat(80)} |`,
].join("\n");

browserTest(
  "the model page fits a 375 px wide phone in dark mode: a long id, long words, code and tables scroll or wrap inside it",
  async () => {
    const hub = startFakeHub([{ id: LONG_MODEL, license: "mit", readme: WIDE_README }]);
    const rt = await testRuntime({ env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url } });
    const server = listen(rt);
    try {
      const user = await createUser(rt, { admin: true });
      await withPage(async (page) => {
        await signIn(page, user.token, server.url);
        await page.goto(`${server.url}/models/${LONG_MODEL}`);
        await page.waitForSelector("[data-testid=model-actions][data-hydrated]");
        assert.equal(await page.getAttribute("html", "data-theme") ?? "system", "system");
        assert.equal(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches), true);
        await page.locator("[data-testid=model-readme] [data-testid=code-block]").waitFor();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 375, `the page is ${width} px wide on a 375 px screen`);
        // The actions stay on screen.
        for (const action of ["run-button", "download-button"]) {
          const box = await page.locator(`[data-testid=model-actions] [data-testid=${action}]`).boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `${action} at ${JSON.stringify(box)}`);
        }
      }, { viewport: { width: 375, height: 800 }, colorScheme: "dark" });
    } finally {
      await server.stop();
      await rt.close();
      await hub.close();
    }
  },
);

browserTest(
  "a model card shows none of its HTML comments, and a gated model's page says its card is hidden until access is granted",
  async () => {
    const readme = [
      "<!-- This model card has been generated automatically according to the information the Trainer had access to. -->",
      "# Qwen3 in MLX",
      "",
      "Small <!-- fill in the numbers --> and fast.",
    ].join("\n");
    const hub = startFakeHub([
      { id: MODEL, license: "apache-2.0", readme },
      { id: "meta-llama/Llama-3.2-1B-Instruct", gated: "manual", readme: "# Llama" },
    ]);
    await using rt = await testRuntime({ env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url } });
    try {
      const user = await createUser(rt, { admin: true });
      await withSignedInPage(rt, user, async (page, url) => {
        await page.goto(`${url}/models/${MODEL}`);
        await page.waitForSelector("[data-testid=model-actions][data-hydrated]");
        const card = await page.textContent("[data-testid=model-readme]") ?? "";
        assert.match(card, /Qwen3 in MLX/);
        assert.match(card, /Small\s+and fast\./);
        assert.doesNotMatch(card, /generated automatically|fill in|<!--/);

        await page.goto(`${url}/models/meta-llama/Llama-3.2-1B-Instruct`);
        await page.waitForSelector("[data-testid=model-actions][data-hydrated]");
        const missing = await page.textContent("[data-testid=model-readme-missing]") ?? "";
        assert.match(
          missing,
          /^The model card is hidden until Hugging Face grants you access to this gated model/,
        );
        assert.match(missing, /set HF_TOKEN/);
        assert.doesNotMatch(missing, /no README/);
      }, { viewport: { width: 375, height: 800 }, colorScheme: "dark" });
    } finally {
      await hub.close();
    }
  },
);
