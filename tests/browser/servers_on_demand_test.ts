import assert from "node:assert/strict";
import { browserTest, signIn, withPage } from "../helpers/browser.ts";
import { startGateway } from "../routes/v1/setup.ts";

browserTest(
  "ServerBoard shows a server starting for a /v1 request with the model asked for, then its requests in flight",
  async () => {
    await using gw = await startGateway();
    const reply = "word ".repeat(40);
    await gw.profile(
      { name: "qwen3-coder", aliases: ["coder"] },
      { load_delay_ms: 1500, reply, token_delay_ms: 60 },
    );
    await gw.profile({ name: "manual" }, { load_delay_ms: 1500 });
    const { key } = await gw.key();
    await withPage(async (page) => {
      await signIn(page, gw.admin.token, gw.url);
      await page.goto(`${gw.url}/servers`);
      await page.waitForSelector("[data-testid=server-board].ready");
      await page.waitForFunction(() =>
        document.querySelector("[data-testid=live-status]")?.textContent === "Live"
      );

      const streaming = gw.client(key).chat.completions.create({
        model: "coder",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      });
      const tile = page.locator("[data-testid=server-tile]", { hasText: "qwen3-coder" });
      const starting = tile.locator("[data-testid=server-starting]");
      await starting.waitFor();
      assert.match((await starting.textContent())!, /^Starting for a request \(model coder\)… .*1 waiting/);

      const stream = await streaming;
      await tile.locator("[data-state=running]").waitFor();
      await tile.locator("[data-testid=server-requests]", { hasText: "1 in flight, 0 queued" }).waitFor();
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      assert.equal(text, reply);
      await tile.locator("[data-testid=server-requests]", { hasText: "0 in flight, 0 queued" }).waitFor();
      assert.equal(await starting.count(), 0, "no start note once running");

      // A start by hand says only that it loads.
      const item = page.locator("[data-testid=quick-start-item]", { hasText: "manual" });
      await item.locator("button", { hasText: "Start" }).click();
      const manual = page.locator("[data-testid=server-tile]", { hasText: "manual" })
        .locator("[data-testid=server-starting]");
      await manual.waitFor();
      assert.match((await manual.textContent())!, /^Loading the model… /);
    });
  },
);

browserTest("a 1.8 server's card shows its own batch beside the manager's queue", async () => {
  await using gw = await startGateway({}, {}, "1.8.1");
  await gw.rt.start();
  await gw.profile({ name: "batched", max_concurrency: 3 }, {
    reply: "word ".repeat(60),
    token_delay_ms: 50,
  });
  const { key } = await gw.key();
  await withPage(async (page) => {
    await signIn(page, gw.admin.token, gw.url);
    await page.goto(`${gw.url}/servers`);
    await page.waitForSelector("[data-testid=server-board].ready");
    const stream = await gw.client(key).chat.completions.create({
      model: "batched",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const tile = page.locator("[data-testid=server-tile]", { hasText: "batched" });
    await tile.locator("[data-testid=server-requests]", { hasText: "1 in flight, 0 queued" }).waitFor();
    await tile.locator("[data-testid=server-batch]", { hasText: /^1 of 3 decoding, 0 done$/ }).waitFor();
    for await (const _ of stream) { /* to the end */ }
    await tile.locator("[data-testid=server-batch]", { hasText: /^0 of 3 decoding, 1 done$/ }).waitFor();
  });
});
