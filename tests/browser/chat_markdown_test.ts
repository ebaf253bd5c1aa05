import assert from "node:assert/strict";
import { join } from "node:path";
import { browserTest, signIn, withPage } from "../helpers/browser.ts";
import { listen } from "../helpers/runtime.ts";
import { withSupervisedChat } from "../helpers/chat.ts";
import { BUILD_DIR } from "../../lib/paths.ts";

/** The chat page's first-load JavaScript may weigh this much, gzip-compressed. */
const FIRST_LOAD_BUDGET = 80 * 1024;

/** The size of a built file as it goes over the wire compressed, from the build's `.gz` twin. */
function gzipSize(url: string): number {
  const path = new URL(url).pathname.replace(/^\/_build\//, "");
  return Deno.statSync(join(BUILD_DIR, `${path}.gz`)).size;
}

const reply = [
  "Here is **bold**, a table and code:",
  "",
  "| key | value |",
  "|-----|------:|",
  "| a | 1 |",
  "",
  "- [x] parsed",
  "- [ ] highlighted",
  "",
  "```ts",
  "const answer = 42; // the answer",
  "```",
].join("\n");

browserTest(
  "the chat page loads at most 80 KB gzip of JavaScript, and the highlighter only once a code block appears",
  async () => {
    await withSupervisedChat({ reply, chunk_chars: "9" }, async (chat) => {
      const server = listen(chat.rt);
      try {
        await withPage(async (page) => {
          const scripts: string[] = [];
          page.on("request", (request) => {
            if (request.resourceType() === "script") scripts.push(request.url());
          });
          await signIn(page, chat.user.token, server.url);
          await page.goto(`${server.url}/chat`);
          await page.waitForSelector("[data-testid=chat][data-hydrated]");
          // Every island's module is loaded before any island renders.
          const firstLoad = [...scripts];
          const bytes = firstLoad.reduce((sum, url) => sum + gzipSize(url), 0);
          // deno-lint-ignore no-console
          console.log(
            `chat first-load JS: ${(bytes / 1024).toFixed(1)} KB gzip in ${firstLoad.length} files`,
          );
          assert.ok(bytes <= FIRST_LOAD_BUDGET, `${bytes} bytes of first-load JS`);
          assert.ok(
            !firstLoad.some((url) => /\/highlight-[^/]*\.js/.test(url)),
            "no highlighter before code",
          );

          await page.fill("[data-testid=chat-input]", "show me");
          await page.press("[data-testid=chat-input]", "Enter");
          await page.waitForSelector("[data-testid=metrics]");
          await page.waitForSelector("[data-testid=code-block][data-highlighted] .tok-keyword");
          assert.ok(scripts.slice(firstLoad.length).some((url) => /\/highlight-[^/]*\.js/.test(url)));
          const answer = page.locator("[data-testid=message][data-role=assistant]");
          assert.equal(await answer.locator(".tok-keyword").first().textContent(), "const");
          assert.equal(await answer.locator(".tok-comment").textContent(), "// the answer");
          assert.equal(await answer.locator("pre").textContent(), "const answer = 42; // the answer");
          assert.equal(await answer.locator("strong").textContent(), "bold");
          assert.deepEqual(await answer.locator("td").allTextContents(), ["a", "1"]);
          assert.deepEqual(
            await answer.locator("[role=checkbox]").evaluateAll((els) =>
              els.map((e) => e.getAttribute("aria-checked"))
            ),
            ["true", "false"],
          );
        });
      } finally {
        await server.stop();
      }
    });
  },
);
