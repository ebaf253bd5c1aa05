import assert from "node:assert/strict";
import { browserTest, signIn, withPage } from "../helpers/browser.ts";
import { startGateway } from "../routes/v1/setup.ts";

browserTest(
  "Upstreams page adds another MLX Manager; the dashboard shows its servers and Activity filters by machine",
  async () => {
    await using peer = await startGateway();
    await using front = await startGateway();
    await peer.profile({ name: "studio-model" }, { reply: "From the studio." });
    await front.profile({ name: "local-model" }, { reply: "From here." });
    const { key: peerKey } = await peer.key({ name: "front door" });
    await withPage(async (page) => {
      await signIn(page, front.admin.token, front.url);
      await page.goto(`${front.url}/upstreams`);
      await page.waitForSelector("[data-testid=upstreams-manager][data-hydrated]");
      await page.fill("#field-name", "studio");
      await page.selectOption("#field-kind", "mlx-manager");
      await page.fill("#field-base_url", `${peer.url}`);
      await page.fill("#field-api_key", peerKey);
      await page.click("button:has-text('Add upstream')");
      assert.match(await page.textContent("[data-testid=error-base_url]") ?? "", /ending in \/v1/);
      await page.fill("#field-base_url", `${peer.url}/v1`);
      await page.click("button:has-text('Add upstream')");
      const row = page.locator("[data-testid=upstream-row][data-name=studio]");
      await row.locator("[data-testid=upstream-state][data-state=online]").waitFor();
      await row.locator("[data-testid=upstream-models] >> text=studio/studio-model").waitFor();
      assert.equal((await page.content()).includes(peerKey), false, "the key is never shown");

      // The dashboard: the other machine under its name, with its server's state, live.
      await page.goto(`${front.url}/servers`);
      await page.waitForSelector("[data-testid=remote-servers][data-hydrated]");
      const machine = page.locator("[data-testid=remote-machine][data-name=studio]");
      await machine.locator("[data-testid=remote-model] >> text=studio-model").waitFor();
      assert.ok((await machine.textContent())!.includes("stopped"));
      const { key } = await front.key();
      const client = front.client(key);
      const chat = async (model: string) =>
        (await client.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] }))
          .choices[0].message.content;
      assert.equal(await chat("studio/studio-model"), "From the studio.");
      assert.equal(await chat("local-model"), "From here.");
      await front.rt.deps.upstreams.check(front.rt.deps.upstreams.list()[0].id);
      await machine.locator("[data-testid=remote-model] >> text=running").waitFor();
      assert.ok((await machine.textContent())!.includes("in flight"));

      await page.goto(`${front.url}/activity`);
      await page.waitForSelector("[data-testid=activity-view][data-hydrated]");
      await page.locator("[data-testid=activity-row]").nth(1).waitFor();
      await page.selectOption("select[name=machine]", "studio");
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=activity-row]").length === 1);
      assert.ok((await page.textContent("[data-testid=activity-row]"))!.includes("studio/studio-model"));
      await page.selectOption("select[name=machine]", "local");
      await page.waitForFunction(() =>
        document.querySelector("[data-testid=activity-row]")?.textContent?.includes("local-model") &&
        document.querySelectorAll("[data-testid=activity-row]").length === 1
      );

      // Edit keeps the stored key; Remove takes its models off this endpoint at once.
      await page.goto(`${front.url}/upstreams`);
      await page.waitForSelector("[data-testid=upstreams-manager][data-hydrated]");
      await row.locator("button:has-text('Edit')").click();
      assert.equal(await page.inputValue("#field-api_key"), "", "the key is not put back in the form");
      await page.fill("#field-models", "studio-model, not-there-yet");
      await page.click("button:has-text('Save')");
      await row.locator("[data-testid=upstream-models] >> text=studio/not-there-yet").waitFor();
      await row.locator("[data-testid=upstream-state][data-state=online]").waitFor();
      assert.equal(await chat("studio/studio-model"), "From the studio.", "the stored key still works");
      await row.locator("button:has-text('Remove')").click();
      await page.click("[data-testid=confirm]");
      await row.waitFor({ state: "detached" });
      const ids = (await client.models.list()).data.map((m) => m.id);
      assert.deepEqual(ids, ["local-model"]);
    });
  },
);

browserTest("Upstreams page and the dashboard's machines fit 375 px and follow dark mode", async () => {
  await using peer = await startGateway();
  await using front = await startGateway();
  await peer.profile({ name: "a-model-with-a-rather-long-name-that-must-wrap-on-a-phone" });
  const res = await front.rt.app.request("/api/upstreams", {
    method: "POST",
    headers: { ...front.admin.headers, "content-type": "application/json" },
    body: JSON.stringify({
      name: "studio",
      kind: "mlx-manager",
      base_url: `${peer.url}/v1`,
      api_key: (await peer.key()).key,
    }),
  });
  assert.equal(res.status, 201);
  const backgrounds: Record<string, string> = {};
  for (const scheme of ["light", "dark"] as const) {
    await withPage(async (page) => {
      await signIn(page, front.admin.token, front.url);
      for (const path of ["/upstreams", "/servers"]) {
        await page.goto(`${front.url}${path}`);
        await page.locator("text=a-model-with-a-rather-long-name-that-must-wrap-on-a-phone").first()
          .waitFor();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 375, `${path} scrolls sideways in ${scheme}: ${width}px`);
      }
      backgrounds[scheme] = await page.evaluate(() =>
        getComputedStyle(document.querySelector("[data-testid=remote-machine]")!).backgroundColor
      );
    }, { viewport: { width: 375, height: 740 }, colorScheme: scheme });
  }
  assert.notEqual(backgrounds.light, backgrounds.dark, "the machine card changes with the scheme");
});
