/**
 * Bytes a browser downloads for the first load of the Servers page: every
 * script and stylesheet, raw and gzip. Targets: JS ≤ 35 KB gzip, CSS ≤ 15 KB gzip.
 * Byte counts do not vary between runs, so one run is the measure: no rounds.
 *
 * Run: deno run -A bench/first_load.ts
 *
 * @module
 */
import { gzipSync } from "node:zlib";
import { launchBrowser } from "../tests/helpers/browser.ts";
import { listen, testRuntime } from "../tests/helpers/runtime.ts";
import { createUser } from "../tests/helpers/auth.ts";
import { report } from "./stats.ts";

/** Measures the first load and returns the totals in bytes. */
export async function firstLoad(path = "/servers"): Promise<Record<string, number>> {
  const rt = await testRuntime();
  const admin = await createUser(rt, { admin: true });
  const server = listen(rt);
  const browser = await launchBrowser();
  const totals = { jsRaw: 0, jsGzip: 0, cssRaw: 0, cssGzip: 0, files: 0 };
  try {
    const context = await browser.newContext();
    await context.addCookies([{ name: "mlx_session", value: admin.token, url: server.url }]);
    const page = await context.newPage();
    const pending: Promise<void>[] = [];
    page.on("response", (res) => {
      const type = res.request().resourceType();
      if (type !== "script" && type !== "stylesheet") return;
      pending.push(
        res.body().then((body) => {
          const kind = type === "script" ? "js" : "css";
          totals[`${kind}Raw`] += body.byteLength;
          totals[`${kind}Gzip`] += gzipSync(body, { level: 9 }).byteLength;
          totals.files++;
        }),
      );
    });
    await page.goto(`${server.url}${path}`, { waitUntil: "networkidle" });
    await Promise.all(pending);
  } finally {
    await browser.close();
    await server.stop();
    await rt.close();
  }
  return totals;
}

if (import.meta.main) {
  const t = await firstLoad();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  report(
    `first load of /servers: ${t.files} files; JS ${kb(t.jsRaw)} raw, ${
      kb(t.jsGzip)
    } gzip (target ≤ 35 KB); ` +
      `CSS ${kb(t.cssRaw)} raw, ${kb(t.cssGzip)} gzip (target ≤ 15 KB)`,
  );
}
