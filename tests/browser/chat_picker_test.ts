import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../helpers/servers.ts";

async function options(page: Page): Promise<string[]> {
  return (await page.locator("[data-testid=server-select] option").allTextContents()).map((t) => t.trim());
}

async function selected(page: Page): Promise<string> {
  return await page.locator("[data-testid=server-select]").evaluate((el: HTMLSelectElement) =>
    el.selectedOptions[0]?.textContent?.trim() ?? ""
  );
}

browserTest(
  "the chat lists only chat models and opens on the last one used, else a running one, never a failed one",
  async () => {
    await using rt = await testRuntime({ env: serverEnv() });
    await rt.start();
    const admin = await createUser(rt, { admin: true });
    const ok = () => modelDir(rt.dataDir, { load_delay_ms: 0 });
    const { supervisor } = rt.deps;
    // Listed first by name, and failed: never the default.
    const broken = await createProfile(rt, admin, {
      name: "A broken one",
      model_path: await modelDir(rt.dataDir, { load_delay_ms: 0, fail: "model_not_found" }),
    });
    await supervisor.start(broken.id, { wait: true }).catch(() => {});
    assert.equal(supervisor.status(broken.id).state, "failed");
    const embedder = await createProfile(rt, admin, {
      name: "B embedder",
      model_path: await ok(),
      model_type: "embeddings",
    });
    await supervisor.start(embedder.id, { wait: true });
    const stopped = await createProfile(rt, admin, { name: "C stopped", model_path: await ok() });
    const running = await createProfile(rt, admin, { name: "D running", model_path: await ok() });
    await supervisor.start(running.id, { wait: true });

    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/chat`);
      await page.waitForSelector("[data-testid=chat][data-hydrated]");
      const listed = await options(page);
      assert.ok(!listed.some((o) => o.includes("B embedder")), `no embeddings profile in ${listed}`);
      assert.deepEqual(listed.filter((o) => o.startsWith("A ") || o.startsWith("C ") || o.startsWith("D ")), [
        listed.find((o) => o.startsWith("A broken one"))!,
        listed.find((o) => o.startsWith("C stopped"))!,
        listed.find((o) => o.startsWith("D running"))!,
      ]);
      assert.match(listed.find((o) => o.startsWith("A broken one"))!, /\(failed\)$/);
      assert.match(await selected(page), /^D running/, "a running one, not the failed one listed first");

      // Once a conversation was held with the stopped one, the page opens on it.
      rt.deps.conversations.create(admin.id, {
        title: "Earlier",
        profileId: stopped.id,
        profileName: stopped.name,
        model: stopped.model_path,
      });
      await page.goto(`${url}/chat`);
      await page.waitForSelector("[data-testid=chat][data-hydrated]");
      assert.match(await selected(page), /^C stopped/);
      assert.equal(
        await page.locator("[data-testid=start-server]").isVisible(),
        true,
        "and offers to start it",
      );
    });
  },
);
