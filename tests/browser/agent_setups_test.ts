import assert from "node:assert/strict";
import { browserTest, signIn, withPage } from "../helpers/browser.ts";
import { startGateway } from "../routes/v1/setup.ts";

browserTest(
  "Connect card's agent tabs carry the new key; the Keys page shows the agents' setups on a phone in dark mode",
  async () => {
    await using gw = await startGateway();
    await gw.profile({ name: "qwen" });
    await withPage(async (page) => {
      await signIn(page, gw.admin.token, gw.url);
      await page.goto(`${gw.url}/servers`);
      await page.waitForSelector("[data-testid=connect-card][data-hydrated]");
      await page.click("[data-testid=connect-card] button:has-text('Create a key')");
      const key = (await page.locator("[data-testid=connect-key] code").textContent())!;
      await page.click("[data-testid=connect-card] [role=tab]:has-text('Claude Code')");
      const claude = (await page.textContent("[data-testid=snippet-claude-code]"))!;
      assert.ok(
        claude.includes(`ANTHROPIC_BASE_URL=${gw.url}\n`) && claude.includes(`ANTHROPIC_AUTH_TOKEN=${key}`),
      );
      await page.click("[data-testid=connect-card] [role=tab]:has-text('Codex')");
      assert.ok((await page.textContent("[data-testid=snippet-codex]"))!.includes('wire_api = "responses"'));
    });
    await withPage(async (page) => {
      await signIn(page, gw.admin.token, gw.url);
      await page.goto(`${gw.url}/keys`);
      await page.waitForSelector("[data-testid=agent-setups][data-hydrated]");
      const setups = page.locator("[data-testid=agent-setups]");
      assert.ok((await setups.textContent())!.includes("ANTHROPIC_AUTH_TOKEN=YOUR_API_KEY"));
      await setups.locator("[role=tab]:has-text('OpenCode')").click();
      assert.ok(
        (await page.textContent("[data-testid=snippet-opencode]"))!.includes("@ai-sdk/openai-compatible"),
      );
      const overflow = await page.evaluate(() =>
        document.documentElement.scrollWidth - globalThis.innerWidth
      );
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    }, { viewport: { width: 375, height: 800 }, colorScheme: "dark" });
  },
);
