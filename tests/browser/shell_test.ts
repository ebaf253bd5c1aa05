import assert from "node:assert/strict";
import { SESSION_COOKIE } from "../../routes/session.ts";
import { browserTest, withPage } from "../helpers/browser.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { PROFILE_DEFAULTS } from "../../services/profiles/schemas.ts";

async function signedIn() {
  const rt = await testRuntime();
  const admin = await createUser(rt, { admin: true });
  const server = listen(rt);
  const cookie = { name: SESSION_COOKIE, value: admin.token, url: server.url };
  return {
    rt,
    server,
    cookie,
    async close() {
      await server.stop();
      await rt.close();
    },
  };
}

browserTest("the Servers page hydrates its island, which receives live events", async () => {
  const app = await signedIn();
  try {
    const profile = await app.rt.deps.profiles.create({
      ...PROFILE_DEFAULTS,
      name: "qwen3-4b",
      model_path: "mlx-community/Qwen3-4B-4bit",
      port: 10299,
    });
    await withPage(async (page) => {
      await page.context().addCookies([app.cookie]);
      await page.goto(`${app.server.url}/servers`);
      await page.waitForSelector("[data-testid=server-board].ready");
      await page.waitForFunction(() =>
        document.querySelector("[data-testid=live-status]")?.textContent === "Live"
      );
      const status = app.rt.deps.supervisor.status(profile.id);
      app.rt.deps.bus.publish("server.update", { ...status, state: "running", pid: 4242, health: "healthy" });
      await page.waitForSelector("[data-testid=server-tile][data-state=running] >> text=qwen3-4b");
      app.rt.deps.bus.publish("notice", { message: "Download finished", kind: "success" });
      await page.waitForSelector("[data-testid=toasts] >> text=Download finished");
    });
  } finally {
    await app.close();
  }
});

browserTest("below 768 px the navbar collapses into a menu that opens", async () => {
  const app = await signedIn();
  try {
    await withPage(async (page) => {
      await page.context().addCookies([app.cookie]);
      await page.goto(`${app.server.url}/servers`);
      const desktopModels = page.locator("nav .md\\:flex >> text=Models");
      assert.equal(await desktopModels.isVisible(), false);
      const menu = page.locator("[data-testid=mobile-menu]");
      assert.equal(await menu.locator("a[href='/models']").isVisible(), false);
      await menu.locator("summary").click();
      assert.equal(await menu.locator("a[href='/models']").isVisible(), true);
      assert.equal(await menu.locator("a[href='/users']").isVisible(), true, "admins see Users");
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `the page scrolls sideways: ${width}px`);
    }, { viewport: { width: 375, height: 740 } });
  } finally {
    await app.close();
  }
});

browserTest("the app follows the system's dark mode", async () => {
  const app = await signedIn();
  try {
    const background = async (scheme: "light" | "dark") => {
      let color = "";
      await withPage(async (page) => {
        await page.context().addCookies([app.cookie]);
        await page.goto(`${app.server.url}/servers`);
        color = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      }, { colorScheme: scheme });
      return color;
    };
    const light = await background("light");
    const dark = await background("dark");
    assert.notEqual(light, dark);
    // Chromium reports Tailwind v4 colours as oklch/oklab (lightness first) or rgb.
    const lightness = (c: string) => {
      const n = c.match(/[\d.]+/g)!.map(Number);
      return c.startsWith("ok") ? n[0] : (n[0] + n[1] + n[2]) / 765;
    };
    assert.ok(lightness(dark) < lightness(light), `dark ${dark} is not darker than light ${light}`);
  } finally {
    await app.close();
  }
});
