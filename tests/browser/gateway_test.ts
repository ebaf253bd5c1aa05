import assert from "node:assert/strict";
import OpenAI from "openai";
import { browserTest, signIn, withPage } from "../helpers/browser.ts";
import { startGateway } from "../routes/v1/setup.ts";

browserTest("Connect card creates a key that the snippets carry and that works on /v1", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "qwen" });
  await withPage(async (page) => {
    await signIn(page, gw.admin.token, gw.url);
    await page.goto(`${gw.url}/servers`);
    await page.waitForSelector("[data-testid=connect-card][data-hydrated]");
    assert.ok((await page.textContent("[data-testid=connect-card]"))!.includes(`${gw.url}/v1`));
    await page.click("[data-testid=connect-card] button:has-text('Create a key')");
    const key = (await page.locator("[data-testid=connect-key] code").textContent())!;
    assert.match(key, /^mlxm_/);
    assert.ok((await page.textContent("[data-testid=snippet-curl]"))!.includes(`Bearer ${key}`));
    await page.click("[role=tab]:has-text('Python')");
    const python = (await page.textContent("[data-testid=snippet-python]"))!;
    assert.ok(python.includes(`base_url="${gw.url}/v1"`) && python.includes('model="qwen"'));
    const answer = await new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key }).chat.completions.create({
      model: "qwen",
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(answer.choices[0].message.content, "You said: hi");
    // The dashboard shows the server's last request, pushed live.
    await page.waitForSelector("[data-testid=last-request] >> text=chat/completions");
  });
});

browserTest("Keys page creates a key shown once, lists it by prefix and revokes it", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "qwen" });
  await withPage(async (page) => {
    await signIn(page, gw.admin.token, gw.url);
    await page.goto(`${gw.url}/keys`);
    await page.waitForSelector("[data-testid=keys-manager][data-hydrated]");
    await page.fill("#field-name", "Editor");
    await page.fill("#field-models", "qwen");
    await page.click("button:has-text('Create key')");
    const key = (await page.locator("[data-testid=created-key] code").textContent())!;
    assert.match(key, /^mlxm_/);
    const row = page.locator("[data-testid=key-row]", { hasText: "Editor" });
    await row.waitFor();
    assert.ok((await row.textContent())!.includes(key.slice(0, 13)));
    assert.ok(!(await row.textContent())!.includes(key.slice(14)), "the list never shows the secret");
    await gw.client(key).models.list();
    await row.locator("button:has-text('Revoke')").click();
    await page.click("[data-testid=confirm]");
    await row.waitFor({ state: "detached" });
    await assert.rejects(gw.client(key).models.list(), OpenAI.AuthenticationError);
    await page.reload();
    await page.waitForSelector("[data-testid=keys-manager][data-hydrated]");
    assert.equal(await page.locator("[data-testid=created-key]").count(), 0, "the key is not shown again");
  });
});

browserTest("Activity page shows a new request live, with totals", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "qwen" });
  const { key } = await gw.key();
  await withPage(async (page) => {
    await signIn(page, gw.admin.token, gw.url);
    await page.goto(`${gw.url}/activity`);
    await page.waitForSelector("[data-testid=activity-view][data-hydrated]");
    await page.waitForSelector("text=No requests yet");
    await gw.client(key).chat.completions.create({
      model: "qwen",
      messages: [{ role: "user", content: "x" }],
    });
    const row = page.locator("[data-testid=activity-row]").first();
    await row.waitFor();
    assert.ok((await row.textContent())!.includes("200 ok"));
    await page.waitForSelector("[data-testid=totals-per-model] >> text=qwen");
    await page.waitForSelector(`[data-testid=totals-per-user] >> text=${gw.admin.email}`);
  });
});
