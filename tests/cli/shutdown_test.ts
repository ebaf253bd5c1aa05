import assert from "node:assert/strict";
import { startManager } from "../helpers/manager.ts";
import { alive, modelDir, serverEnv } from "../helpers/servers.ts";
import { freePort } from "../helpers/net.ts";

/** Whether a process runs (a zombie left for init to reap does not). */
function running(pid: number): boolean {
  if (!alive(pid)) return false;
  try {
    return !/^State:\s+Z/m.test(Deno.readTextFileSync(`/proc/${pid}/status`));
  } catch {
    return false;
  }
}

/** Signs up the first account (the admin) and answers its bearer headers. */
async function adminHeaders(url: string): Promise<Record<string, string>> {
  const account = { email: "ada@example.com", password: "correct horse battery" };
  const post = (path: string) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(account),
    });
  await (await post("/api/auth/register")).body?.cancel();
  const { access_token } = await (await post("/api/auth/login")).json();
  return { authorization: `Bearer ${access_token}`, "content-type": "application/json" };
}

/** Creates a profile for `model` and starts it; answers the server's pid. */
async function startProfile(url: string, headers: Record<string, string>, model: string): Promise<number> {
  const created = await fetch(`${url}/api/profiles`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "Stubborn", model_path: model, port: freePort() }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const { id } = await created.json();
  const started = await fetch(`${url}/api/servers/${id}/start?wait=true`, { method: "POST", headers });
  assert.equal(started.status, 200, await started.clone().text());
  const status = await started.json();
  assert.ok(status.pid > 0);
  return status.pid;
}

Deno.test("serve exits on SIGTERM only after a server that ignores SIGTERM is killed", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-shutdown-" });
  const manager = await startManager({ dataDir, env: serverEnv({ MLX_MANAGER_STOP_TIMEOUT: "2" }) });
  try {
    const headers = await adminHeaders(manager.url);
    const pid = await startProfile(manager.url, headers, await modelDir(dataDir, { ignore_sigterm: 1 }));
    const asked = performance.now();
    manager.child.kill("SIGTERM");
    const { code } = await manager.child.status;
    const took = performance.now() - asked;
    assert.equal(code, 0);
    assert.equal(
      running(pid),
      false,
      `the model server is gone when the manager has exited (${Math.round(took)} ms)`,
    );
    assert.ok(took >= 1500, `the manager waited for the stop timeout (${Math.round(took)} ms)`);
    assert.match(manager.log(), /Stopping \(SIGTERM\)/);
  } finally {
    try {
      manager.child.kill("SIGKILL");
    } catch { /* already exited */ }
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test({
  name: "a model server gets only the environment it needs, not the manager's secrets",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-env-" });
    const manager = await startManager({
      dataDir,
      env: serverEnv({ MANAGER_ONLY_SECRET: "s3cret", HF_HUB_ENABLE_HF_TRANSFER: "1", LANG: "C.UTF-8" }),
    });
    let pid = 0;
    try {
      const headers = await adminHeaders(manager.url);
      pid = await startProfile(manager.url, headers, await modelDir(dataDir));
      const environ = (await Deno.readTextFile(`/proc/${pid}/environ`)).split("\0").filter(Boolean);
      const names = new Set(environ.map((e) => e.slice(0, e.indexOf("="))));
      assert.ok(names.has("PATH") && names.has("HOME"), [...names].join(" "));
      assert.ok(names.has("HF_HUB_ENABLE_HF_TRANSFER"), "HF_* settings reach the server");
      assert.ok(names.has("LANG"), "the locale reaches the server");
      assert.ok(!names.has("MANAGER_ONLY_SECRET"), "the manager's other variables stay with it");
      assert.ok(
        ![...names].some((n) => n.startsWith("MLX_MANAGER_")),
        "the manager's own settings stay with it",
      );
    } finally {
      // A killed manager leaves its servers running (it adopts them when it comes back): end this one too.
      manager.child.kill("SIGKILL");
      await manager.child.status;
      if (pid && running(pid)) Deno.kill(pid, "SIGKILL");
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
