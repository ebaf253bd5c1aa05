/**
 * The browser test harness: Debian's Chromium driven by playwright-core.
 *
 * Browser tests never skip: when Chromium is missing they fail and say how to
 * install it.
 *
 * @module
 */
import { type Browser, chromium, type Page } from "playwright-core";

import { SESSION_COOKIE } from "../../routes/session.ts";
import type { Runtime } from "../../runtime.ts";
import { listen } from "./runtime.ts";

/** Where Debian installs Chromium; override with `CHROMIUM_PATH`. */
export const CHROMIUM_PATH = Deno.env.get("CHROMIUM_PATH") ??
  "/usr/bin/chromium";

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Launches headless Chromium with a fresh profile. */
export async function launchBrowser(): Promise<Browser> {
  try {
    Deno.statSync(CHROMIUM_PATH);
  } catch {
    throw new Error(
      `Cannot run browser tests: Chromium is not at ${CHROMIUM_PATH}. ` +
        `Install it with "sudo apt-get install -y chromium" or set CHROMIUM_PATH`,
    );
  }
  // Playwright gives every launch a fresh, temporary --user-data-dir of its own.
  return await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}

/** Runs `fn` with a new page of a fresh browser, and closes everything after. */
export async function withPage(
  fn: (page: Page, browser: Browser) => Promise<void>,
  options: {
    viewport?: { width: number; height: number };
    colorScheme?: "light" | "dark";
  } = {},
): Promise<void> {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? "light",
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (msg) => {
      if (
        msg.type() === "error" &&
        /Content Security Policy|Refused to/.test(msg.text())
      ) errors.push(msg.text());
    });
    await fn(page, browser);
    if (errors.length) {
      throw new Error(`The page reported errors:\n${errors.join("\n")}`);
    }
  } finally {
    await browser.close();
  }
}

/**
 * Declares a browser test. Playwright keeps its own connections and timers,
 * so Deno's op and resource sanitizers are off for these tests only.
 */
export function browserTest(name: string, fn: () => Promise<void>): void {
  Deno.test({ name, fn, sanitizeOps: false, sanitizeResources: false });
}

/** Signs `page` in as the holder of `token`: the app's session cookie, set for `url`. */
export async function signIn(page: Page, token: string, url: string): Promise<void> {
  await page.context().addCookies([{ name: SESSION_COOKIE, value: token, url }]);
}

/** Options of {@link withPage}. */
export type PageOptions = NonNullable<Parameters<typeof withPage>[1]>;

/**
 * Serves `rt` on a loopback port and runs `fn` with a fresh page signed in
 * as `user`, passing the app's address; stops the server after.
 *
 * @example
 * ```ts
 * await withSignedInPage(rt, admin, async (page, url) => {
 *   await page.goto(`${url}/servers`);
 * });
 * ```
 */
export async function withSignedInPage(
  rt: Runtime,
  user: { token: string },
  fn: (page: Page, url: string, browser: Browser) => Promise<void>,
  options: PageOptions = {},
): Promise<void> {
  const server = listen(rt);
  try {
    await withPage(async (page, browser) => {
      await signIn(page, user.token, server.url);
      await fn(page, server.url, browser);
    }, options);
  } finally {
    await server.stop();
  }
}
