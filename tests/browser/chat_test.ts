import assert from "node:assert/strict";
import { Buffer as NodeBuffer } from "node:buffer";
import type { Page } from "playwright-core";
import { browserTest, signIn, withPage } from "../helpers/browser.ts";
import { listen } from "../helpers/runtime.ts";
import { type SupervisedChat, withSupervisedChat } from "../helpers/chat.ts";

interface ChatEnv extends SupervisedChat {
  url: string;
}

/**
 * The real app serving HTTP, with a profile whose server (the fake, with
 * `knobs`) was created and started through the API, and a signed-in admin.
 */
async function withChat(
  knobs: Record<string, unknown>,
  fn: (env: ChatEnv) => Promise<void>,
  options: { modelType?: string; start?: boolean } = {},
): Promise<void> {
  await withSupervisedChat(knobs, async (chat) => {
    const server = listen(chat.rt);
    try {
      await fn({ ...chat, url: server.url });
    } finally {
      await server.stop();
    }
  }, options);
}

async function openChat(page: Page, env: ChatEnv, path = "/chat"): Promise<void> {
  await signIn(page, env.user.token, env.url);
  await page.goto(`${env.url}${path}`);
  await page.waitForSelector("[data-testid=chat][data-hydrated]");
}

async function send(page: Page, text: string): Promise<void> {
  await page.fill("[data-testid=chat-input]", text);
  await page.press("[data-testid=chat-input]", "Enter");
}

const answer = "[data-testid=message][data-role=assistant]";

browserTest(
  "chat streams an answer with a collapsible thinking bubble, metrics and Copy; Shift+Enter adds a line",
  async () => {
    await withChat({ reasoning: "tags", token_delay_ms: "40" }, async (env) => {
      await withPage(async (page) => {
        await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.url });
        await openChat(page, env);
        await page.fill("[data-testid=chat-input]", "first line");
        await page.press("[data-testid=chat-input]", "Shift+Enter");
        await page.type("[data-testid=chat-input]", "second line");
        assert.equal(await page.inputValue("[data-testid=chat-input]"), "first line\nsecond line");
        await page.press("[data-testid=chat-input]", "Enter");
        assert.equal(await page.inputValue("[data-testid=chat-input]"), "");

        // While the reasoning streams, the bubble is open and says so.
        // (The bubble opens in an effect after the label appears: wait for both, not one then the other.)
        await page.waitForFunction(() => {
          const bubble = document.querySelector("[data-testid=thinking]");
          const label = document.querySelector("[data-testid=thinking-label]");
          return bubble?.hasAttribute("open") === true && label?.textContent?.includes("Thinking…") === true;
        });
        // Then it closes with its duration, and the answer and metrics appear.
        await page.waitForSelector("[data-testid=metrics]");
        assert.match(await page.textContent("[data-testid=thinking-label]") ?? "", /^Thought for \d+\.\d s$/);
        assert.equal(await page.getAttribute("[data-testid=thinking]", "open"), null);
        assert.equal(
          await page.textContent(`${answer} .md`),
          "You said: first line\nsecond line".replace("\n", ""),
          "the answer is rendered as Markdown (a single newline is a break)",
        );
        assert.match(
          await page.textContent("[data-testid=metrics]") ?? "",
          /^TTFT \d+ ms · [\d.]+ tok\/s · \d+ in · \d+ out$/,
        );
        await page.click("[data-testid=thinking-label]");
        assert.equal(
          (await page.textContent("[data-testid=thinking] div"))?.trim(),
          "Let me think about this step by step.",
        );

        await page.click(`${answer} button:has-text("Copy")`);
        await page.waitForSelector("text=Copied to the clipboard");
        assert.equal(
          await page.evaluate(() => navigator.clipboard.readText()),
          "You said: first line\nsecond line",
        );

        // The conversation was saved and is listed.
        await page.waitForSelector("[data-testid=history-title] >> text=first line second line");
        assert.match(page.url(), /\/chat\?c=\d+$/);
      });
    });
  },
);

browserTest(
  "Stop ends the answer, closes the upstream request and keeps what arrived; the view stops following when scrolled up",
  async () => {
    await withChat({
      token_delay_ms: "25",
      reply: "Lorem ipsum dolor sit amet.\n\n".repeat(150),
    }, async (env) => {
      await withPage(async (page) => {
        await openChat(page, env);
        await send(page, "write a lot");
        await page.waitForSelector("[data-testid=stop]");
        const transcript = page.locator("[data-testid=transcript]");
        // It follows the answer while it grows.
        await page.waitForFunction(() => {
          const el = document.querySelector("[data-testid=transcript]")!;
          return el.scrollHeight > el.clientHeight + 200 &&
            el.scrollHeight - el.scrollTop - el.clientHeight < 48;
        });
        // Scrolled up, it stays where the reader is while text keeps arriving.
        await transcript.evaluate((el) => el.scrollTop = 0);
        const before = await page.evaluate(() =>
          document.querySelector("[data-testid=transcript]")!.scrollHeight
        );
        await page.waitForFunction(
          (h) => document.querySelector("[data-testid=transcript]")!.scrollHeight > h + 100,
          before,
        );
        assert.equal(await transcript.evaluate((el) => el.scrollTop), 0);
        await page.waitForSelector("[data-testid=jump-latest]");

        await page.click("[data-testid=stop]");
        await page.waitForSelector("[data-testid=send]");
        await env.waitForRecord((r) => r.event === "client_closed");
        const text = await page.textContent(`${answer} .md`);
        assert.ok(text!.startsWith("Lorem ipsum"));
        assert.ok(text!.length < "Lorem ipsum dolor sit amet.".length * 150, "the answer was cut short");
        await page.waitForSelector(`${answer} .badge >> text=stopped`);
        await page.waitForTimeout(200);
        assert.equal(await page.textContent(`${answer} .md`), text, "nothing arrives after Stop");
      });
    });
  },
);

browserTest(
  "with tools on, a tool round shows the call, its arguments and result, then the answer",
  async () => {
    await withChat({
      tool_call: "1",
      tool_name: "calculate",
      tool_args: '{"expression": "(2 + 3) * 4"}',
      reply: "The result is **20**.",
    }, async (env) => {
      await withPage(async (page) => {
        await openChat(page, env);
        await page.click("[data-testid=settings-toggle]");
        await page.check("[data-testid=tools-toggle]");
        await send(page, "what is (2 + 3) * 4?");
        await page.waitForSelector(`${answer} strong >> text=20`);
        const bubble = page.locator("[data-testid=tool-calls]");
        assert.equal(await bubble.locator("summary").textContent(), "Tool: calculate");
        await bubble.locator("summary").click();
        assert.deepEqual(
          JSON.parse(await bubble.locator("[data-testid=tool-call] pre").first().textContent() ?? ""),
          {
            expression: "(2 + 3) * 4",
          },
        );
        assert.deepEqual(JSON.parse(await bubble.locator("[data-testid=tool-result]").textContent() ?? ""), {
          expression: "(2 + 3) * 4",
          result: 20,
        });
        assert.equal(await page.locator(answer).count(), 2, "the call and the final answer are two answers");
        const requests = (await env.records()).filter((r) => r.event === "request");
        assert.equal(requests.length, 2);
      });
    });
  },
);

browserTest("an answer full of HTML renders as text: no script runs and no element is created", async () => {
  const reply = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "[click me](javascript:window.__pwned='link')",
    '<a href="javascript:window.__pwned=1">a</a> <iframe src="/chat"></iframe>',
  ].join("\n\n");
  await withChat({ reply: reply, chunk_chars: "7" }, async (env) => {
    await withPage(async (page) => {
      await openChat(page, env);
      await page.evaluate(() => {
        const w = window as unknown as { __created: string[] };
        w.__created = [];
        new MutationObserver((records) => {
          for (const r of records) {
            for (const n of r.addedNodes) {
              if (n instanceof Element) {
                for (const el of [n, ...n.querySelectorAll("*")]) {
                  if (["SCRIPT", "IMG", "IFRAME"].includes(el.tagName)) w.__created.push(el.tagName);
                }
              }
            }
          }
        }).observe(document.body, { childList: true, subtree: true });
      });
      await send(page, "show me html");
      await page.waitForSelector("[data-testid=metrics]");
      const text = await page.textContent(`${answer} .md`);
      assert.ok(text!.includes("<script>window.__pwned = 'script'</script>"));
      assert.ok(text!.includes("<img src=x onerror=\"window.__pwned = 'img'\">"));
      assert.equal(
        await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned),
        undefined,
      );
      assert.deepEqual(
        await page.evaluate(() => (window as unknown as { __created: string[] }).__created),
        [],
      );
      const transcript = page.locator("[data-testid=transcript]");
      assert.equal(await transcript.locator("script, img, iframe").count(), 0);
      assert.equal(await transcript.locator("a").count(), 0, "javascript: links are not links");
    });
  });
});

browserTest(
  "a saved conversation reopens from the history with its thinking, metrics and follow-ups",
  async () => {
    await withChat({ reasoning: "tags", token_delay_ms: "0" }, async (env) => {
      await withPage(async (page) => {
        await openChat(page, env);
        await send(page, "remember the tulips");
        await page.waitForSelector("[data-testid=metrics]");
        await send(page, "and the windmills");
        await page.waitForFunction(
          (sel) => document.querySelectorAll(`${sel} [data-testid=metrics]`).length === 2,
          answer,
        );

        // A fresh page, then open it from the history list.
        await page.goto(`${env.url}/chat`);
        await page.waitForSelector("[data-testid=chat][data-hydrated]");
        assert.equal(await page.locator("[data-testid=message]").count(), 0);
        await page.click("[data-testid=history-title] >> text=remember the tulips");
        await page.waitForFunction(() => document.querySelectorAll("[data-testid=message]").length === 4);
        assert.deepEqual(await page.locator(`${answer} .md`).allTextContents(), [
          "You said: remember the tulips",
          "You said: and the windmills",
        ]);
        assert.match(
          await page.locator("[data-testid=thinking-label]").first().textContent() ?? "",
          /^Thought for/,
        );
        assert.equal(await page.locator("[data-testid=metrics]").count(), 2);
        assert.equal(await page.textContent("[data-testid=pinned-system]"), "System prompt: You are terse.");

        // Following up continues the same conversation with the whole history.
        await send(page, "what did I say?");
        await page.waitForFunction(() => document.querySelectorAll("[data-testid=metrics]").length === 3);
        const last = (await env.records()).filter((r) => r.event === "request").at(-1)!;
        const sent = (last.body as { messages: { role: string; content: string }[] }).messages;
        assert.deepEqual(sent.map((m) => m.role), [
          "system",
          "user",
          "assistant",
          "user",
          "assistant",
          "user",
        ]);
        assert.ok(!sent.some((m) => m.content.includes("<think>") || m.content.includes("step by step")));
        const id = Number(new URL(page.url()).searchParams.get("c"));
        assert.equal(env.rt.deps.conversations.get(env.user.id, id).messages.length, 6);

        // Opening by URL works too, and Regenerate replaces the last answer.
        await page.goto(`${env.url}/chat?c=${id}`);
        await page.waitForSelector("[data-testid=chat][data-hydrated]");
        assert.equal(await page.locator("[data-testid=message]").count(), 6);
        await page.click("[data-testid=regenerate]");
        await page.waitForSelector("[data-testid=send]:not([disabled]), [data-testid=send]");
        await page.waitForFunction(() => !document.querySelector("[data-testid=stop]"));
        assert.equal(await page.locator("[data-testid=message]").count(), 6);
        assert.equal(env.rt.deps.conversations.get(env.user.id, id).messages.length, 6);
      });
    });
  },
);

browserTest(
  "on a phone the history is behind a button; conversations can be searched, renamed and deleted",
  async () => {
    await withChat({ token_delay_ms: "0" }, async (env) => {
      const { conversations } = env.rt.deps;
      const sync = (id: number, text: string) =>
        conversations.syncHistory(env.user.id, id, [{ role: "user", content: text }], {
          systemPrompt: null,
          profileId: env.profile.id,
          profileName: "Fake Qwen",
          model: env.profile.model_path,
        });
      sync(
        conversations.create(env.user.id, { title: "Tulip fields" }).id,
        "Where are the best tulip fields?",
      );
      sync(conversations.create(env.user.id, { title: "Bread" }).id, "How long should sourdough proof?");
      await withPage(async (page) => {
        await openChat(page, env);
        assert.equal(await page.isVisible("[data-testid=history]"), false);
        await page.click("[data-testid=history-toggle]");
        await page.waitForSelector("[data-testid=history]", { state: "visible" });
        await page.fill("[data-testid=history-search]", "sourdough");
        await page.waitForFunction(() =>
          document.querySelectorAll("[data-testid=history-item]").length === 1
        );
        assert.equal(await page.textContent("[data-testid=history-title]"), "Bread");
        await page.click("[data-testid=history-title]");
        await page.waitForSelector("[data-testid=message] >> text=How long should sourdough proof?");
        assert.equal(await page.isVisible("[data-testid=history]"), false, "opening closes the overlay");

        await page.click("[data-testid=history-toggle]");
        await page.click("[data-testid=history] button:has-text('Rename')");
        await page.fill("[data-testid=rename-input]", "Sourdough timing");
        await page.click("[data-testid=rename-save]");
        await page.waitForSelector("[data-testid=history-title] >> text=Sourdough timing");
        await page.click("[data-testid=history] button:has-text('Delete')");
        await page.click("[data-testid=confirm]");
        await page.waitForSelector("text=Conversation deleted");
        await page.fill("[data-testid=history-search]", "");
        await page.waitForFunction(() =>
          document.querySelectorAll("[data-testid=history-item]").length === 1
        );
        assert.deepEqual(conversations.list(env.user.id).map((c) => c.title), ["Tulip fields"]);
      }, { viewport: { width: 375, height: 740 } });
    });
  },
);

browserTest(
  "image and text attachments go with their message and stay in the history of later turns",
  async () => {
    await withChat({ token_delay_ms: "0" }, async (env) => {
      await withPage(async (page) => {
        await openChat(page, env);
        // Playwright's typings want Node's global Buffer; node:buffer's is the same object at run time.
        const file = (data: string, encoding: "base64" | "utf8") =>
          NodeBuffer.from(data, encoding) as unknown as Buffer;
        await page.setInputFiles("[data-testid=file-input]", [
          {
            name: "dot.png",
            mimeType: "image/png",
            buffer: file(
              "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
              "base64",
            ),
          },
          { name: "notes.md", mimeType: "text/markdown", buffer: file("# Notes", "utf8") },
        ]);
        await page.waitForFunction(() =>
          document.querySelectorAll("[data-testid=attachments] li").length === 2
        );
        await send(page, "describe these");
        await page.waitForSelector("[data-testid=metrics]");
        assert.equal(await page.locator("[data-testid=attachments]").count(), 0, "the composer is cleared");
        const shown = page.locator("[data-testid=message-attachments]");
        assert.equal(await shown.locator("img").getAttribute("alt"), "dot.png");
        assert.match(await shown.textContent() ?? "", /notes\.md/);

        await send(page, "and again");
        await page.waitForFunction(() => document.querySelectorAll("[data-testid=metrics]").length === 2);
        const requests = (await env.records()).filter((r) => r.event === "request")
          .map((r) => (r.body as { messages: { role: string; content: unknown }[] }).messages);
        for (const messages of requests) {
          const first = messages.find((m) => m.role === "user")!.content as Record<string, unknown>[];
          assert.deepEqual(first.map((p) => p.type), ["text", "image_url", "text"]);
          assert.match(String((first[1].image_url as { url: string }).url), /^data:image\/png;base64,iVBOR/);
          assert.equal(first[2].text, "[File: notes.md]\n# Notes");
        }
        assert.equal(requests.length, 2);
      });
    }, { modelType: "multimodal" });
  },
);

browserTest("a stopped profile can be started from the Chat page, which follows its state live", async () => {
  await withChat({ load_delay_ms: 600 }, async (env) => {
    await withPage(async (page) => {
      await openChat(page, env);
      assert.match(
        await page.textContent("[data-testid=server-select] option") ?? "",
        /Fake Qwen .* \(stopped\)$/,
      );
      await page.click("[data-testid=start-server]");
      await page.waitForSelector("[data-testid=start-server] >> text=Starting…");
      await page.waitForSelector("[data-testid=start-server]", { state: "detached" });
      assert.match(await page.textContent("[data-testid=server-select] option") ?? "", /Fake Qwen .*[^)]$/);
      await send(page, "are you up?");
      await page.waitForSelector(`${answer} .md >> text=You said: are you up?`);
    });
  }, { start: false });
});

browserTest(
  "a message to a stopped profile starts its server, and the answer says Starting… until it begins",
  async () => {
    await withChat({ load_delay_ms: 1500 }, async (env) => {
      await withPage(async (page) => {
        await openChat(page, env);
        await page.waitForSelector("text=This server is not running: your first message starts it");
        await send(page, "wake up");
        await page.waitForSelector(`[data-testid=waiting] >> text=Starting Fake Qwen…`);
        await page.waitForSelector(`${answer} .md >> text=You said: wake up`);
        assert.equal(env.rt.deps.supervisor.status(env.profile.id).state, "running");
        assert.equal(await page.locator("[data-testid=message-error]").count(), 0);
      });
    }, { start: false });
  },
);

browserTest(
  "tool calls the chat does not run say so, and Turn on built-in tools lets the regenerated answer run them",
  async () => {
    await withChat({
      tool_call: "always",
      tool_name: "calculate",
      tool_args: '{"expression": "6 * 7"}',
      reply: "It is 42.",
    }, async (env) => {
      await withPage(async (page) => {
        await openChat(page, env);
        await send(page, "what is 6 * 7?");
        const notice = page.locator("[data-testid=tools-not-run]");
        await notice.waitFor();
        assert.equal(await notice.getAttribute("data-reason"), "tools_off");
        assert.match(await notice.textContent() ?? "", /asked to use "calculate", but tools are off/);
        assert.equal(await page.locator("[data-testid=add-mcp]").count(), 1, "no MCP server to pick yet");
        // The saved conversation, opened again, still says so.
        await page.reload();
        await page.waitForSelector("[data-testid=chat][data-hydrated]");
        await notice.waitFor();
        assert.equal(await notice.getAttribute("data-reason"), "stored");
        assert.match(await notice.textContent() ?? "", /asked to use "calculate"; nothing was run/);
        await page.click("[data-testid=enable-tools]");
        assert.ok(await page.isChecked("[data-testid=tools-toggle]"), "the settings opened with tools on");
        await page.click("[data-testid=regenerate]");
        await page.waitForSelector(`${answer} .md >> text=It is 42.`);
        assert.equal(await page.locator("[data-testid=tools-not-run]").count(), 0);
        assert.deepEqual(
          JSON.parse(await page.locator("[data-testid=tool-result]").textContent() ?? ""),
          { expression: "6 * 7", result: 42 },
        );
      });
    });
  },
);
