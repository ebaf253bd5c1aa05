import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../lib/assets.ts";
import { cliEnv } from "./helpers/cli.ts";

/** Starts `entry serve` as its own process and waits for its listening line. */
async function startServer(entry: string, cwd: string, dataDir: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", join(ROOT, "deno.json"), join(ROOT, entry), "serve", "--port", "0"],
    cwd,
    env: cliEnv(dataDir, { MLX_MANAGER_LOG_LEVEL: "info" }),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { value, done } = await lines.read();
    if (done) break;
    seen += value;
    const match = seen.match(/listening on (http:\/\/[\d.]+:\d+)/);
    if (match) {
      lines.releaseLock();
      child.stderr.cancel().catch(() => {});
      return { child, url: match[1] };
    }
  }
  child.kill();
  throw new Error(`The server did not start:\n${seen}`);
}

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
      const { child, url } = await startServer(entry, "/", elsewhere);
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
        child.stdout.cancel().catch(() => {});
        await Deno.remove(elsewhere, { recursive: true });
      }
    },
  });
}
