import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, signIn, withPage } from "../helpers/browser.ts";
import { startGateway } from "../routes/v1/setup.ts";
import { createUser } from "../helpers/auth.ts";

const PHONE = { viewport: { width: 375, height: 800 }, colorScheme: "dark" as const };
const hello = [{ role: "user" as const, content: "hi" }];

/** Fails when the page is wider than the phone. */
async function fitsPhone(page: Page, where: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `${where} scrolls sideways: ${width}px`);
}

/** The lightness (0–1) of the first painted background behind `selector`. */
function background(page: Page, selector: string): Promise<number> {
  return page.evaluate((selector) => {
    let el: Element | null = document.querySelector(selector);
    while (el && getComputedStyle(el).backgroundColor === "rgba(0, 0, 0, 0)") el = el.parentElement;
    const css = getComputedStyle(el ?? document.body).backgroundColor;
    const [a, b, c] = (css.match(/[\d.]+/g) ?? ["0", "0", "0"]).map(Number);
    return css.startsWith("oklch") ? a : (0.2126 * a + 0.7152 * b + 0.0722 * c) / 255;
  }, selector);
}

async function shot(page: Page, name: string) {
  const dir = Deno.env.get("MLX_TEST_SCREENSHOTS");
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

browserTest(
  "on a 375 px phone in dark mode, an admin sets a user's limits and the user's own key is held within them",
  async () => {
    await using gw = await startGateway();
    const user = await createUser(gw.rt, { email: "ada@example.com" });
    await withPage(async (page) => {
      await signIn(page, gw.admin.token, gw.url);
      await page.goto(`${gw.url}/users`);
      await page.waitForSelector("[data-testid=users-table][data-hydrated]");
      const userRow = page.locator("[data-testid=user-row][data-email='ada@example.com']");
      await userRow.getByRole("button", { name: "Limits" }).click();
      const userDialog = page.locator("[data-testid=limits-form]");
      await userDialog.getByLabel("Requests a minute").fill("10");
      await userDialog.getByLabel("Token budget").fill("50000");
      await userDialog.getByLabel("Budget period").selectOption("week");
      assert.ok(await background(page, "dialog[open]") < 0.3, "the dialog is dark");
      await shot(page, "users-dialog");
      await userDialog.getByRole("button", { name: "Save limits" }).click();
      await userRow.locator("[data-testid=user-limits-summary]", { hasText: "10 rpm · 50k tokens/week" })
        .waitFor();
      assert.equal(gw.rt.deps.accounts.get(user.id).limits.rpm, 10);
      await fitsPhone(page, "/users");
      await shot(page, "users");
    }, PHONE);

    await withPage(async (page) => {
      await signIn(page, user.token, gw.url);
      await page.goto(`${gw.url}/keys`);
      await page.waitForSelector("[data-testid=keys-manager][data-hydrated]");
      await page.getByLabel("Name").fill("Cursor on my laptop");
      await page.locator("[data-testid=key-limits] summary").click();
      await page.getByText("Your account allows 10 rpm · 50k tokens/week").first().waitFor();
      await page.locator("#new-key-rpm").fill("20");
      await page.getByRole("button", { name: "Create key" }).click();
      await page.locator("[data-testid=error-rpm]", { hasText: "At most 10" }).waitFor();
      await shot(page, "keys-refused");
      await page.locator("#new-key-rpm").fill("5");
      await page.locator("#new-key-budget_tokens").fill("1000");
      await page.getByRole("button", { name: "Create key" }).click();
      await page.waitForSelector("[data-testid=created-key]");
      const row = page.locator("[data-testid=key-row]", { hasText: "Cursor on my laptop" });
      await row.locator("[data-testid=key-limits-summary]", { hasText: "5 rpm · 1k tokens/day" }).waitFor();
      await fitsPhone(page, "/keys");
      await shot(page, "keys");

      await row.getByRole("button", { name: "Limits" }).click();
      const dialog = page.locator("[data-testid=limits-form]");
      assert.equal(await dialog.getByLabel("Requests a minute").inputValue(), "5");
      await dialog.getByLabel("Requests a minute").fill("7");
      await dialog.getByLabel("Tokens a minute").fill("20000");
      await dialog.getByRole("button", { name: "Save limits" }).click();
      await row.locator("[data-testid=key-limits-summary]", { hasText: "7 rpm · 20k tpm · 1k tokens/day" })
        .waitFor();
      const saved = gw.rt.deps.keys.list({ id: user.id, isAdmin: false })[0];
      assert.deepEqual([saved.limits.rpm, saved.limits.tpm, saved.limits.budget_period], [7, 20_000, "day"]);
    }, PHONE);
  },
);

browserTest(
  "on a 375 px phone in dark mode, the Usage view stacks tokens by model and shows each key's budget used",
  async () => {
    await using gw = await startGateway();
    await gw.profile({ name: "qwen3-coder-30b-a3b-instruct-4bit" });
    await gw.profile({ name: "gemma" });
    const budgeted = await gw.key({
      name: "Budgeted",
      limits: { budget_tokens: 1000, budget_period: "month" },
    });
    const free = await gw.key({ name: "Unlimited" });
    let used = 0;
    for (const model of ["qwen3-coder-30b-a3b-instruct-4bit", "gemma"]) {
      const answer = await gw.client(budgeted.key).chat.completions.create({ model, messages: hello });
      used += answer.usage!.total_tokens;
    }
    await gw.client(free.key).chat.completions.create({ model: "gemma", messages: hello });
    await withPage(async (page) => {
      await signIn(page, gw.admin.token, gw.url);
      await page.goto(`${gw.url}/activity`);
      await page.waitForSelector("[data-testid=usage-view][data-hydrated]");
      const today = page.locator("[data-testid=usage-chart] g").last();
      const models = await today.locator("rect").evaluateAll((rects) =>
        rects.map((r) => r.getAttribute("data-model"))
      );
      assert.deepEqual(models.sort(), ["gemma", "qwen3-coder-30b-a3b-instruct-4bit"]);
      const budget = page.locator(
        "[data-testid=key-usage-row][data-group='" + budgeted.id + "'] [data-testid=budget-used]",
      );
      assert.match(
        await budget.innerText(),
        new RegExp(`^${Math.round(used / 10) / 100 * 1} ?%|${used / 10} %`),
      );
      assert.equal(
        await page.locator(`[data-testid=key-usage-row][data-group='${free.id}'] td`).last().innerText(),
        "no budget",
      );
      await page.locator("[data-testid=usage-users] [data-testid=user-usage-row]").first().waitFor();
      await fitsPhone(page, "/activity");
      assert.ok(await background(page, "[data-testid=usage-chart]") < 0.3, "the chart's card is dark");
      await shot(page, "usage");

      const refetched = page.waitForResponse((r) =>
        r.url().includes("/api/usage?group_by=model&period=month")
      );
      await page.locator("select[name=usage-period]").selectOption("month");
      await refetched;
      // A year of months and this one.
      await page.waitForFunction(() =>
        document.querySelectorAll("[data-testid=usage-chart] g").length === 13
      );
      const href = await page.locator("[data-testid=usage-export]").getAttribute("href");
      const csv = await page.evaluate((href) => fetch(href!).then((r) => r.text()), href);
      assert.match(csv.split("\r\n")[0], /^month,key,label,requests/);
    }, PHONE);
  },
);
