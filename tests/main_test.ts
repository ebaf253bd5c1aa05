import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../lib/paths.ts";
import { startManager } from "./helpers/manager.ts";

for (
  const [entry, how] of [["main.ts", "from source"], [
    "tasks/start.ts",
    "from the server bundle (deno task start)",
  ]]
) {
  Deno.test({
    name: `the server starts ${how} and serves its pages and assets when run from another working directory`,
    sanitizeResources: false,
    async fn() {
      const elsewhere = await Deno.makeTempDir();
      const { child, url } = await startManager({ entry, cwd: "/", dataDir: elsewhere });
      try {
        const health = await fetch(`${url}/health`);
        assert.deepEqual(await health.json(), { status: "healthy" });
        const manifest = JSON.parse(await Deno.readTextFile(join(ROOT, "_build", "manifest.json")));
        for (const asset of [manifest.assets.client, manifest.css, "/static/favicon.svg"]) {
          const res = await fetch(`${url}${asset}`);
          assert.equal(res.status, 200, asset);
          assert.ok((await res.arrayBuffer()).byteLength > 100, asset);
        }
        const login = await fetch(`${url}/login`);
        assert.equal(login.status, 200);
        assert.match(await login.text(), /LoginForm/);
        // A signed-in page renders its islands (the registry works in the bundle too).
        const credentials = { email: "ada@example.com", password: "long enough" };
        const headers = { "content-type": "application/json" };
        await (await fetch(`${url}/api/auth/register`, {
          method: "POST",
          headers,
          body: JSON.stringify(credentials),
        }))
          .body?.cancel();
        const session = await fetch(`${url}/api/auth/login`, {
          method: "POST",
          headers,
          body: JSON.stringify(credentials),
        });
        const { access_token: token } = await session.json();
        const page = await fetch(`${url}/servers`, { headers: { cookie: `mlx_session=${token}` } });
        assert.equal(page.status, 200);
        assert.match(await page.text(), /data-island="ServerBoard"/);
        // The database, secret and KV store live in the data dir, not the working directory.
        assert.ok((await Deno.stat(join(elsewhere, "mlx-manager.db"))).isFile);
        assert.ok((await Deno.stat(join(elsewhere, "jwt-secret"))).isFile);
      } finally {
        child.kill("SIGTERM");
        await child.status;
        await Deno.remove(elsewhere, { recursive: true });
      }
    },
  });
}
