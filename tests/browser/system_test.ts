import assert from "node:assert/strict";
import { SESSION_COOKIE } from "../../routes/session.ts";
import { browserTest, withPage } from "../helpers/browser.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { macRunner } from "../helpers/recorded_runner.ts";

const GIB = 1024 ** 3;

async function recordedMac() {
  const rt = await testRuntime({
    platform: { os: "darwin", uid: 501, kernelRelease: "24.3.0", runner: macRunner() },
  });
  const user = await createUser(rt, { admin: true });
  const server = listen(rt);
  return {
    rt,
    server,
    cookie: { name: SESSION_COOKIE, value: user.token, url: server.url },
    async close() {
      await server.stop();
      await rt.close();
    },
  };
}

browserTest("the System page and the navbar follow system.metrics events live", async () => {
  const app = await recordedMac();
  try {
    await withPage(async (page) => {
      await page.context().addCookies([app.cookie]);
      await page.goto(`${app.server.url}/system`);
      await page.waitForSelector("[data-testid=system-monitor][data-hydrated]");
      assert.equal(await page.textContent("[data-testid=memory-used]"), "41.6 GB of 64.0 GB");
      // Publish until the page's event stream is connected and the reading arrives.
      const before = await page.getAttribute("[data-series='Memory used'] path", "d");
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        app.rt.deps.bus.publish("system.metrics", {
          memory: { total: 64 * GIB, used: 48 * GIB, percent: 75 },
          pressure: "warn",
          gpu: { utilization: 12, memoryInUse: 2 * GIB },
          at: new Date().toISOString(),
        });
        const text = await page.textContent("[data-testid=memory-used]");
        if (text === "48.0 GB of 64.0 GB") break;
        await page.waitForTimeout(200);
      }
      assert.equal(await page.textContent("[data-testid=memory-used]"), "48.0 GB of 64.0 GB");
      assert.equal(await page.textContent("[data-testid=pressure]"), "Pressure: warn");
      assert.equal(await page.textContent("[data-testid=gpu-utilization]"), "12 % busy");
      assert.notEqual(
        await page.getAttribute("[data-series='Memory used'] path", "d"),
        before,
        "the chart moved",
      );
      assert.match(
        await page.textContent("[data-testid=memory-indicator]") ?? "",
        /RAM 48\.0 GB \/ 64\.0 GB/,
      );
    });
  } finally {
    await app.close();
  }
});

browserTest("the System page fits a phone screen", async () => {
  const app = await recordedMac();
  try {
    await withPage(async (page) => {
      await page.context().addCookies([app.cookie]);
      await page.goto(`${app.server.url}/system`);
      await page.waitForSelector("[data-testid=system-monitor][data-hydrated]");
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `the page scrolls sideways: ${width}px`);
    }, { viewport: { width: 375, height: 740 } });
  } finally {
    await app.close();
  }
});
