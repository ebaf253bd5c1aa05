import assert from "node:assert/strict";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser, json } from "../helpers/auth.ts";
import { withSupervisedChat } from "../helpers/chat.ts";
import { waitFor } from "../helpers/net.ts";
import { STDIO_FIXTURE, stdioFixture } from "../fixtures/mcp_launch.ts";

browserTest(
  "an admin adds a stdio MCP server on the System page and sees it connect with its tools",
  async () => {
    await using rt = await testRuntime();
    const admin = await createUser(rt, { admin: true });
    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/system`);
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
  },
);

browserTest("a user sees MCP servers and their state on the System page but no controls", async () => {
  await using rt = await testRuntime();
  await createUser(rt, { admin: true });
  const user = await createUser(rt);
  await withSignedInPage(rt, user, async (page, url) => {
    await page.goto(`${url}/system`);
    await page.waitForSelector("[data-testid=mcp-servers][data-hydrated]");
    assert.equal(await page.locator("[data-testid=mcp-add]").count(), 0);
    assert.equal(await page.textContent("[data-name=Built-in] [data-testid=mcp-state]"), "connected");
  });
});

browserTest(
  "in the chat, a picked MCP server's tool asks first with its arguments; Decline gives the model the refusal",
  async () => {
    await withSupervisedChat({
      tool_call: "1",
      tool_name: "fixture__write_note",
      tool_args: JSON.stringify({ note: "from the page" }),
      reply: "Understood.",
    }, async ({ rt, user }) => {
      const record = `${rt.dataDir}/mcp-calls.jsonl`;
      const res = await rt.app.request(
        "/api/mcp/servers",
        json("POST", stdioFixture("fixture", { MCP_FIXTURE_RECORD: record }), user.headers),
      );
      const { id } = await res.json();
      await waitFor(() => rt.deps.mcp.get(id).state === "connected", "connected");
      await withSignedInPage(rt, user, async (page, url) => {
        await page.goto(`${url}/chat`);
        await page.waitForSelector("[data-testid=chat][data-hydrated]");
        await page.check("[data-testid=mcp-pick][data-name=fixture]");
        await page.fill("[data-testid=chat-input]", "write a note");
        await page.press("[data-testid=chat-input]", "Enter");
        await page.waitForSelector("[data-testid=tool-confirm]");
        assert.deepEqual(JSON.parse(await page.textContent("[data-testid=tool-confirm-args]") ?? ""), {
          note: "from the page",
        });
        assert.match(await page.textContent("[data-testid=tool-confirm]") ?? "", /write_note.*fixture/s);
        await page.click("[data-testid=tool-decline]");
        await page.waitForSelector("[data-testid=tool-confirm]", { state: "detached" });
        await page.waitForSelector("[data-testid=message][data-role=assistant] >> text=Understood.");
        await page.click("[data-testid=tool-calls] summary");
        assert.match(await page.textContent("[data-testid=tool-result]") ?? "", /declined/);
        assert.equal(await Deno.readTextFile(record).catch(() => ""), "", "the tool was never called");
        // The choice is kept for this conversation.
        await page.reload();
        await page.waitForSelector("[data-testid=chat][data-hydrated]");
        assert.equal(await page.isChecked("[data-testid=mcp-pick][data-name=fixture]"), true);
      });
    });
  },
);
