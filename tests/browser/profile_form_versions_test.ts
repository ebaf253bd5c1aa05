import assert from "node:assert/strict";
import { browserTest, signIn, withPage } from "../helpers/browser.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { fakeServerOf } from "../helpers/versions.ts";

const MODEL = "mlx-community/Qwen3-8B-4bit";

browserTest(
  "the profile form shows the options of the installed server: 1.5.1's, then 1.8.1's batching, cache and KV options",
  async () => {
    for (const version of ["1.5.1", "1.8.1"] as const) {
      const rt = await testRuntime({ env: { MLX_MANAGER_MLX_SERVER: fakeServerOf(version) } });
      const server = listen(rt);
      try {
        const user = await createUser(rt, { admin: true });
        await withPage(async (page) => {
          await signIn(page, user.token, server.url);
          await page.goto(`${server.url}/profiles/new`);
          await page.waitForSelector("[data-testid=profile-form][data-hydrated]");
          await page.click("[data-testid=advanced-toggle]");
          await page.click("[data-testid=sampling-toggle]");
          const concurrency = page.locator("#field-max_concurrency");
          const hint = page.locator("#field-max_concurrency-hint");
          const has = async (id: string) => await page.locator(`#field-${id}`).count() === 1;
          assert.equal(await has("top_k"), true, "filled into requests where there is no flag");
          if (version === "1.5.1") {
            assert.equal(await concurrency.inputValue(), "1");
            assert.match(await hint.textContent() ?? "", /--max-concurrency/);
            assert.equal(await has("presence_penalty"), false, "1.5.1 ignores it");
            assert.equal(await page.locator("[data-testid=section-performance]").count(), 0);
            return;
          }
          // A new profile on a batching server serves four requests at once.
          assert.equal(await concurrency.inputValue(), "4");
          assert.match(await hint.textContent() ?? "", /batches them \(--decode-concurrency\)/);
          assert.match(await hint.textContent() ?? "", /honours seeds \(--disable-batching\)/);
          await page.click("[data-testid=performance-toggle]");
          for (const id of ["prompt_cache_size", "prompt_cache_bytes", "kv_bits", "num_draft_tokens"]) {
            assert.equal(await has(id), true, id);
          }
          assert.equal(await page.locator("[data-testid=draft-model-picker]").count(), 1);
          assert.equal(await has("lora_paths"), false, "LoRA adapters are for image models");

          // KV quantisation is not applied while batching: refused by name, next to the field.
          await page.fill("#field-name", "Qwen");
          await page.fill("#field-model_path", MODEL);
          await page.fill("#field-kv_bits", "4");
          await page.click("[data-testid=profile-form] button[type=submit]");
          const error = page.locator("[data-testid=error-kv_bits]");
          await error.waitFor();
          assert.match(
            await error.textContent() ?? "",
            /mlx-openai-server 1\.8\.1 batches requests when Max concurrency is above 1/,
          );
          // One at a time, it is honoured.
          await concurrency.fill("1");
          await page.click("[data-testid=profile-form] button[type=submit]");
          await page.waitForURL(`${server.url}/profiles`);
          const [saved] = rt.deps.profiles.list();
          assert.deepEqual([saved.kv_bits, saved.max_concurrency], [4, 1]);

          // A type the server does not batch follows with its own default, and loses the chat options.
          await page.goto(`${server.url}/profiles/new`);
          await page.waitForSelector("[data-testid=profile-form][data-hydrated]");
          await page.selectOption("#field-model_type", "embeddings");
          await page.click("[data-testid=advanced-toggle]");
          assert.equal(await concurrency.inputValue(), "1");
          assert.equal(await page.locator("[data-testid=section-sampling]").count(), 0);
        });
      } finally {
        await server.stop();
        await rt.close();
      }
    }
  },
);
