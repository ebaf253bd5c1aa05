import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { DownloadView } from "../../../lib/model_types.ts";
import { startFakeHub } from "../../fixtures/fake_hub.ts";
import { listTree } from "../../helpers/downloads.ts";
import { startManager } from "../../helpers/manager.ts";

const REPO = "mlx-community/Restart-4bit";

function serve(dataDir: string, hubUrl: string) {
  return startManager({ dataDir, env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hubUrl } });
}

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, init);
  const text = await res.text();
  assert.ok(res.ok, `${init.method ?? "GET"} ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

async function poll(url: string, token: string, until: (v: DownloadView) => boolean): Promise<DownloadView> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const view = await call<DownloadView>(url, { headers: { authorization: `Bearer ${token}` } });
    if (until(view)) return view;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out polling ${url}`);
}

Deno.test({
  name:
    "DownloadManager.start() resumes a download after the manager is killed with kill -9, and completes it correctly",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const hub = startFakeHub([{ id: REPO, weightBytes: 3_000_000 }], { bytesPerSecond: 600_000 });
    const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-restart-" });
    let first: Awaited<ReturnType<typeof serve>> | null = null;
    let second: Awaited<ReturnType<typeof serve>> | null = null;
    try {
      first = await serve(dataDir, hub.url);
      const account = { email: "ada@example.com", password: "correct horse battery" };
      const jsonInit = (body: unknown, token?: string): RequestInit => ({
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      await call(`${first.url}/api/auth/register`, jsonInit(account));
      const { access_token: token } = await call<{ access_token: string }>(
        `${first.url}/api/auth/login`,
        jsonInit(account),
      );
      const { task_id } = await call<{ task_id: string }>(
        `${first.url}/api/models/download`,
        jsonInit({ model_id: REPO }, token),
      );
      await poll(`${first.url}/api/models/download/${task_id}`, token, (v) => v.downloaded_bytes >= 600_000);
      first.child.kill("SIGKILL");
      await first.child.status;
      first = null;

      const cache = join(dataDir, ".cache", "huggingface", "hub", "models--mlx-community--Restart-4bit");
      const parts = (await listTree(join(cache, "blobs"))).filter((f) => f.endsWith(".incomplete"));
      assert.ok(parts.length > 0, "the kill left partial files");
      const partSizes = await Promise.all(
        parts.map(async (p) => (await Deno.stat(join(cache, "blobs", p))).size),
      );
      assert.ok(partSizes.some((n) => n > 0));

      const before = hub.requests.length;
      hub.knobs.bytesPerSecond = 5_000_000;
      second = await serve(dataDir, hub.url);
      const done = await poll(
        `${second.url}/api/models/download/${task_id}`,
        token,
        (v) => ["completed", "failed", "cancelled"].includes(v.status),
      );
      assert.equal(done.status, "completed", done.error ?? "");

      // The restart continued the partial files with Range requests instead of starting over.
      const resumed = hub.requests.slice(before).filter((r) => r.server === "cdn" && r.range);
      assert.ok(resumed.length > 0, "resumed with Range");
      assert.ok(resumed.every((r) => Number(r.range!.match(/^bytes=(\d+)-$/)![1]) > 0));
      assert.equal(
        hub.requests.slice(before).filter((r) => r.path.includes("/tree/")).length,
        0,
        "file list kept",
      );

      const commit = hub.commit(REPO);
      assert.equal(await Deno.readTextFile(join(cache, "refs", "main")), commit);
      for (const path of hub.paths(REPO)) {
        const data = await Deno.readFile(join(cache, "snapshots", commit, ...path.split("/")));
        assert.equal(createHash("sha256").update(data).digest("hex"), hub.file(REPO, path).sha256, path);
      }
      assert.ok((await listTree(join(cache, "blobs"))).every((f) => !f.endsWith(".incomplete")));
    } finally {
      for (const run of [first, second]) {
        if (!run) continue;
        run.child.kill("SIGKILL");
        await run.child.status;
      }
      await hub.close();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
