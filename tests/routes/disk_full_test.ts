import assert from "node:assert/strict";
import { fillDisk, mountTmpfs, tmpfsUnavailable } from "../helpers/tmpfs.ts";
import { startManager } from "../helpers/manager.ts";
import { waitFor } from "../helpers/net.ts";

const unavailable = await tmpfsUnavailable();
// The reason is printed so an ignored run says why it did not test a full disk.
// deno-lint-ignore no-console
if (unavailable) console.log(`disk_full_test ignored: ${unavailable}`);

async function post(url: string, token: string | null, body: unknown): Promise<Response> {
  return await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

Deno.test({
  name:
    "a full data disk: the manager stays up, writes answer 507 naming the folder, and all works again once space is freed",
  ignore: unavailable !== null,
  async fn() {
    await using disk = await mountTmpfs("12m");
    const dataDir = disk.dir;
    const manager = await startManager({
      dataDir,
      // Debug: the log says when each health sweep ran.
      env: {
        MLX_MANAGER_HEALTH_INTERVAL: "0.1",
        MLX_MANAGER_OFFLINE: "true",
        MLX_MANAGER_LOG_LEVEL: "debug",
      },
    });
    const sweeps = () => manager.log().match(/Scheduled job ran job=servers\.health/g)?.length ?? 0;
    try {
      const email = "ada@example.com";
      const password = "correct horse battery";
      assert.equal((await post(`${manager.url}/api/auth/register`, null, { email, password })).status, 201);
      const login = await post(`${manager.url}/api/auth/login`, null, { email, password });
      const { access_token: token } = await login.json();
      const profile = (i: number) => ({ name: `profile ${i}`, model_path: "org/model", port: 20000 + i });
      const before = await post(`${manager.url}/api/profiles`, token, profile(0));
      assert.equal(before.status, 201);
      await before.body?.cancel();

      await fillDisk(`${dataDir}/filler`);
      // Several health sweeps with a full disk and no traffic: a persistent job queue died here.
      const swept = sweeps();
      await waitFor(() => sweeps() >= swept + 5, "five health sweeps on the full disk");
      const health = await fetch(`${manager.url}/health`);
      assert.equal(health.status, 200);
      await health.body?.cancel();

      // The WAL may have room for a few rows; keep writing until the disk says no.
      let refused: Response | null = null;
      let created = 1;
      for (let i = 1; i < 2000 && !refused; i++) {
        const res = await post(`${manager.url}/api/profiles`, token, {
          ...profile(i),
          description: "x".repeat(900),
        });
        if (res.status === 201) {
          created++;
          await res.body?.cancel();
        } else refused = res;
      }
      assert.ok(refused, "some write is refused once the disk is full");
      assert.equal(refused.status, 507);
      const body = await refused.json();
      assert.equal(body.detail, `the data disk is full: free space in ${dataDir}`);
      assert.equal(body.code, "disk_full");
      assert.equal((await fetch(`${manager.url}/health`)).status, 200);
      const listed = await fetch(`${manager.url}/api/profiles`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(listed.status, 200);
      assert.equal((await listed.json()).length, created);

      await Deno.remove(`${dataDir}/filler`);
      const after = await post(`${manager.url}/api/profiles`, token, profile(5000 - 1));
      assert.equal(after.status, 201);
      await after.body?.cancel();
      const all =
        await (await fetch(`${manager.url}/api/profiles`, { headers: { authorization: `Bearer ${token}` } }))
          .json();
      assert.equal(all.length, created + 1);
      assert.ok(all.some((p: { name: string }) => p.name === "profile 0"));

      const log = manager.log();
      assert.doesNotMatch(log, /cannot rollback/i);
      assert.doesNotMatch(log, /panic|KV queue/i);
      assert.equal(
        await Promise.race([manager.child.status.then(() => "exited"), Promise.resolve("running")]),
        "running",
      );
    } finally {
      try {
        manager.child.kill("SIGKILL");
      } catch { /* it already exited: the assertions above say why */ }
      await manager.child.status;
    }
  },
});
