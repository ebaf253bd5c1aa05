import assert from "node:assert/strict";
import { browserTest, withSignedInPage } from "../helpers/browser.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../helpers/servers.ts";

browserTest(
  "a server that fails to start shows why on its card, in full, with its last log lines; the dashboard does not call it running",
  async () => {
    await using rt = await testRuntime({ env: serverEnv() });
    await rt.start();
    const admin = await createUser(rt, { admin: true });
    const model = await modelDir(rt.dataDir, { load_delay_ms: 200, fail: "oom" });
    await createProfile(rt, admin, { name: "Too big", model_path: model });
    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/servers`);
      await page.waitForSelector("[data-testid=server-board].ready");
      await page.waitForFunction(() =>
        document.querySelector("[data-testid=live-status]")?.textContent === "Live"
      );
      const item = page.locator("[data-testid=quick-start-item]", { hasText: "Too big" });
      await item.locator("button", { hasText: "Start" }).click();

      const tile = page.locator("[data-testid=server-tile][data-state=failed]", { hasText: "Too big" });
      await tile.waitFor();
      const reason = tile.locator("[data-testid=server-reason]");
      await reason.waitFor();
      assert.equal(await reason.textContent(), "Not enough GPU memory for this model");
      assert.ok(await reason.isVisible(), "shown without a click");
      const log = tile.locator("[data-testid=server-error-log]");
      assert.ok(await log.isVisible());
      assert.match(await log.textContent() ?? "", /Insufficient Memory/);
      assert.equal(
        await page.textContent("[data-testid=all-active]"),
        "Every profile is above: one failed to run.",
      );

      // After a reload the card says the same from the page's own data.
      await page.reload();
      await page.waitForSelector("[data-testid=server-board].ready");
      assert.equal(
        await page.locator("[data-testid=server-tile]", { hasText: "Too big" }).locator(
          "[data-testid=server-reason]",
        ).textContent(),
        "Not enough GPU memory for this model",
      );
    });
  },
);

browserTest(
  "on a phone in dark mode, a failed server's card and its log lead with the reason and end at the log's last line",
  async () => {
    await using rt = await testRuntime({ env: serverEnv() });
    await rt.start();
    const admin = await createUser(rt, { admin: true });
    const model = await modelDir(rt.dataDir, { load_delay_ms: 0, fail: "oom" });
    const profile = await createProfile(rt, admin, { name: "Too big", model_path: model });
    await rt.deps.supervisor.start(profile.id, { wait: true }).catch(() => {});
    assert.equal(rt.deps.supervisor.status(profile.id).state, "failed");
    await withSignedInPage(rt, admin, async (page, url) => {
      await page.goto(`${url}/servers`);
      await page.waitForSelector("[data-testid=server-board][data-hydrated]");
      const tile = page.locator("[data-testid=server-tile][data-state=failed]");
      assert.equal(
        await tile.locator("[data-testid=server-reason]").textContent(),
        "Not enough GPU memory for this model",
      );

      // The card's log box overflows on a phone and shows its end, where the error is.
      const box = await tile.locator("[data-testid=server-error-log]").evaluate((el) => {
        // Where the first and the last character of the log text are, against the box's visible part.
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const texts: Text[] = [];
        while (walker.nextNode()) texts.push(walker.currentNode as Text);
        const at = (node: Text, offset: number) => {
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, offset + 1);
          return range.getBoundingClientRect();
        };
        const outer = el.getBoundingClientRect();
        const first = at(texts[0], 0);
        const lastNode = texts.at(-1)!;
        const last = at(lastNode, lastNode.length - 1);
        return {
          overflows: el.scrollHeight > el.clientHeight + 1,
          top: first.top - outer.top,
          end: outer.bottom - last.bottom,
        };
      });
      assert.ok(box.overflows, "the lines do not all fit: the test means something");
      assert.ok(
        box.end >= 0 && box.end <= 24,
        `the last line is at the bottom of the box (${box.end} px above it)`,
      );
      assert.ok(box.top < 0, "the first lines are scrolled out above");

      // The log panel says why first, then follows the log to its end.
      await tile.locator("button", { hasText: "Logs" }).click();
      const view = tile.locator("[data-testid=log-view]");
      await view.locator("[data-testid=log-panel] >> text=Insufficient Memory").waitFor();
      const first = await view.evaluate((el) => el.firstElementChild?.textContent);
      assert.equal(first, "Not enough GPU memory for this model");
      await page.waitForFunction(
        () => {
          const el = document.querySelector("[data-testid=log-panel]")!;
          return el.scrollHeight > el.clientHeight && el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
        },
        undefined,
        { timeout: 5000 },
      );
      const panel = await view.locator("[data-testid=log-panel]").evaluate((el) => {
        const last = el.lastElementChild!.getBoundingClientRect();
        const rect = el.getBoundingClientRect();
        return {
          visible: last.bottom <= rect.bottom + 1 && last.top >= rect.top - 1,
          text: el.lastElementChild!.textContent,
        };
      });
      assert.ok(panel.visible, `the last line (${panel.text}) is in view`);
      assert.ok(
        await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth),
        "nothing is wider than the phone",
      );
    }, { viewport: { width: 375, height: 800 }, colorScheme: "dark" });
  },
);

browserTest(
  "a start refused because the port is taken shows on the card with Use the next free port, which starts it elsewhere",
  async () => {
    await using rt = await testRuntime({ env: serverEnv() });
    await rt.start();
    const admin = await createUser(rt, { admin: true });
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const taken = (listener.addr as Deno.NetAddr).port;
    try {
      const model = await modelDir(rt.dataDir, { load_delay_ms: 0 });
      const profile = await createProfile(rt, admin, { name: "Clash", model_path: model, port: taken });
      await withSignedInPage(rt, admin, async (page, url) => {
        await page.goto(`${url}/servers`);
        await page.waitForSelector("[data-testid=server-board][data-hydrated]");
        await page.waitForFunction(() =>
          document.querySelector("[data-testid=live-status]")?.textContent === "Live"
        );
        await page.locator("[data-testid=quick-start-item]", { hasText: "Clash" }).locator("button", {
          hasText: "Start",
        }).click();
        const tile = page.locator("[data-testid=server-tile][data-state=failed]", { hasText: "Clash" });
        await tile.waitFor();
        assert.match(
          await tile.locator("[data-testid=server-reason]").textContent() ?? "",
          new RegExp(`^Port ${taken} is in use by another process`),
        );
        await tile.locator("[data-testid=use-free-port]").click();
        const running = page.locator("[data-testid=server-tile][data-state=running]", { hasText: "Clash" });
        await running.waitFor({ timeout: 15_000 });
        const moved = rt.deps.profiles.get(profile.id).port;
        assert.notEqual(moved, taken);
        assert.match(await running.textContent() ?? "", new RegExp(`Port ${moved}`));
      });
    } finally {
      listener.close();
    }
  },
);
