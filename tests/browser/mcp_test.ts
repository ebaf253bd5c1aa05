import assert from "node:assert/strict";
import { browserTest, withPage } from "../helpers/browser.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { STDIO_FIXTURE } from "../fixtures/mcp_launch.ts";

browserTest(
  "an admin adds a stdio MCP server on the System page and sees it connect with its tools",
  async () => {
    await using rt = await testRuntime();
    const admin = await createUser(rt, { admin: true });
    const server = listen(rt);
    try {
      await withPage(async (page) => {
        await page.context().addCookies([{ name: "mlx_session", value: admin.token, url: server.url }]);
        await page.goto(`${server.url}/system`);
        await page.waitForSelector("[data-testid=mcp-servers][data-hydrated]");
        assert.equal(await page.textContent("[data-name=Built-in] [data-testid=mcp-state]"), "connected");
        await page.click("[data-testid=mcp-add]");
        await page.fill("[data-testid=mcp-form] input[name=name]", "fixture");
        await page.fill("[data-testid=mcp-form] input[name=command]", Deno.execPath());
        const config = new URL("../../deno.json", import.meta.url).pathname;
        await page.fill("#mcp-args", ["run", "-A", "--config", config, STDIO_FIXTURE].join("\n"));
        await page.fill("#mcp-env", "MCP_FIXTURE_TOKEN=page-secret-99");
        await page.click("[data-testid=mcp-form] button[type=submit]");
        await page.waitForSelector("[data-name=fixture] [data-testid=mcp-state]:text('connected')", {
          timeout: 15_000,
        });
        const text = await page.textContent("[data-name=fixture]") ?? "";
        assert.match(text, /9 tools/);
        assert.ok(!(await page.content()).includes("page-secret-99"));

        // A bad value is shown next to its field.
        await page.click("[data-testid=mcp-add]");
        await page.fill("[data-testid=mcp-form] input[name=name]", "fixture");
        await page.fill("[data-testid=mcp-form] input[name=command]", "x");
        await page.click("[data-testid=mcp-form] button[type=submit]");
        await page.waitForSelector("[data-testid=mcp-form] [role=alert]:text('already exists')");
      });
    } finally {
      await server.stop();
    }
  },
);

browserTest("a user sees MCP servers and their state on the System page but no controls", async () => {
  await using rt = await testRuntime();
  await createUser(rt, { admin: true });
  const user = await createUser(rt);
  const server = listen(rt);
  try {
    await withPage(async (page) => {
      await page.context().addCookies([{ name: "mlx_session", value: user.token, url: server.url }]);
      await page.goto(`${server.url}/system`);
      await page.waitForSelector("[data-testid=mcp-servers][data-hydrated]");
      assert.equal(await page.locator("[data-testid=mcp-add]").count(), 0);
      assert.equal(await page.textContent("[data-name=Built-in] [data-testid=mcp-state]"), "connected");
    });
  } finally {
    await server.stop();
  }
});
