import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser, json } from "../helpers/auth.ts";
import { MAX_PASSWORD_LENGTH } from "../../services/accounts/passwords.ts";

/**
 * Checks the one way a form shows a refused field: its problem under it,
 * linked to the input, the form's line above naming what is wrong, and both
 * gone once the field is edited.
 */
async function assertFieldError(
  page: Page,
  form: string,
  field: { name: string; input: string; problem: string | RegExp; edit: string },
  line: string,
) {
  const note = page.locator(`${form} [data-testid=error-${field.name}]`);
  await note.waitFor();
  if (typeof field.problem === "string") assert.equal(await note.textContent(), field.problem);
  else assert.match(await note.textContent() ?? "", field.problem);
  const input = page.locator(field.input);
  assert.equal(await input.getAttribute("aria-invalid"), "true");
  assert.equal(await input.getAttribute("aria-describedby"), await note.getAttribute("id"));
  const alert = page.locator(`${form} [role=alert]`);
  assert.equal(await alert.textContent(), line);
  await input.fill(field.edit);
  assert.equal(await note.count(), 0, "the field's problem goes as it is edited");
  assert.equal(await alert.count(), 0, "the line above goes with the last problem");
  assert.equal(await input.getAttribute("aria-invalid"), null);
}

browserTest(
  "the Keys form shows a refused field under it, names it above the form and clears both on edit",
  async () => {
    await using rt = await testRuntime();
    const admin = await createUser(rt, { admin: true });
    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/keys`);
      await page.waitForSelector("[data-testid=keys-manager][data-hydrated]");
      await page.fill("#field-name", "Editor");
      await page.fill("#field-models", "no-such-model");
      await page.click("button:has-text('Create key')");
      await assertFieldError(
        page,
        "[data-testid=keys-manager] form",
        { name: "models", input: "#field-models", problem: "Unknown: no-such-model", edit: "" },
        "Check Only these models",
      );
    });
  },
);

browserTest("the Upstreams form says why a name is refused above the form and under the field", async () => {
  await using rt = await testRuntime();
  const admin = await createUser(rt, { admin: true });
  const res = await rt.app.request(
    "/api/upstreams",
    json("POST", { name: "studio", kind: "openai", base_url: "http://127.0.0.1:9/v1" }, admin.headers),
  );
  assert.equal(res.status, 201);
  await withSignedInPage(rt, admin, async (page, url) => {
    await page.goto(`${url}/upstreams`);
    await page.waitForSelector("[data-testid=upstreams-manager][data-hydrated]");
    await page.fill("#field-name", "studio");
    await page.fill("#field-base_url", "http://127.0.0.1:9/v1");
    await page.click("button:has-text('Add upstream')");
    await assertFieldError(
      page,
      "[data-testid=upstream-form]",
      { name: "name", input: "#field-name", problem: "Already taken", edit: "studio-2" },
      'An upstream named "studio" already exists: choose another name',
    );
  });
});

browserTest("the MCP form and the reset-password dialog show refused fields the same way", async () => {
  await using rt = await testRuntime();
  const admin = await createUser(rt, { admin: true });
  await createUser(rt, { email: "bob@example.com" });
  await withSignedInPage(rt, admin, async (page, url) => {
    await page.goto(`${url}/system`);
    await page.waitForSelector("[data-testid=mcp-servers][data-hydrated]");
    await page.click("[data-testid=mcp-add]");
    await page.fill("[data-testid=mcp-form] input[name=name]", "Built-in");
    await page.fill("[data-testid=mcp-form] input[name=command]", "x");
    await page.click("[data-testid=mcp-form] button[type=submit]");
    await assertFieldError(
      page,
      "[data-testid=mcp-form]",
      {
        name: "name",
        input: "[data-testid=mcp-form] input[name=name]",
        problem: "Already taken",
        edit: "other",
      },
      'An MCP server named "Built-in" already exists: choose another name',
    );

    await page.goto(`${url}/users`);
    await page.waitForSelector("[data-testid=users-table][data-hydrated]");
    const bob = page.locator("[data-testid=user-row][data-email='bob@example.com']");
    await bob.locator("button", { hasText: "Reset password" }).click();
    // Longer than the server takes (the browser checks only the minimum).
    await page.fill("#field-new-password", "x".repeat(MAX_PASSWORD_LENGTH + 1));
    await page.locator("dialog button[type=submit]").click();
    await assertFieldError(
      page,
      "dialog form",
      {
        name: "new-password",
        input: "#field-new-password",
        problem: `Password must be at most ${MAX_PASSWORD_LENGTH} characters`,
        edit: "a long enough password",
      },
      "Check New password",
    );
  });
});
