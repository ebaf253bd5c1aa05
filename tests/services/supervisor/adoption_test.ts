import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { testRuntime } from "../../helpers/runtime.ts";
import { createUser } from "../../helpers/auth.ts";
import { alive, createProfile, FAKE_SERVER, modelDir, serverEnv } from "../../helpers/servers.ts";
import { freePort, waitFor } from "../../helpers/net.ts";
import { type ServerVersion, versionTest } from "../../helpers/versions.ts";
import { listInstances, saveInstance } from "../../../db/server_instances.ts";

const MAIN = fileURLToPath(new URL("../../../main.ts", import.meta.url));

/** Runs the manager as its own process, as a user would. */
async function managerProcess(dataDir: string, version: ServerVersion = "1.5.1") {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "serve"],
    env: {
      ...serverEnv({}, version),
      MLX_MANAGER_DATA_DIR: dataDir,
      MLX_MANAGER_PORT: String(port),
      MLX_MANAGER_LOG_LEVEL: "error",
      MLX_MANAGER_OFFLINE: "true",
    },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    () => fetch(`${url}/health`).then((r) => r.body?.cancel().then(() => r.ok), () => false),
    "manager up",
  );
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return { child, call };
}

versionTest(
  "a server still running after a manager crash is adopted by the next manager",
  async (version) => {
    const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-adopt-" });
    const manager = await managerProcess(dataDir, version);
    let pid = 0;
    try {
      const credentials = { email: "ada@example.com", password: "correct horse battery" };
      await manager.call("POST", "/api/auth/register", undefined, credentials);
      const { access_token: token } = await manager.call("POST", "/api/auth/login", undefined, credentials);
      const profile = await manager.call("POST", "/api/profiles", token, {
        name: "survivor",
        model_path: await modelDir(dataDir),
        port: freePort(),
      });
      ({ pid } = await manager.call("POST", `/api/servers/${profile.id}/start?wait=true`, token));
      manager.child.kill("SIGKILL");
      await manager.child.status;
      assert.ok(alive(pid), "the model server outlives the manager");

      const rt = await testRuntime({
        env: serverEnv({ MLX_MANAGER_DATABASE_PATH: `${dataDir}/mlx-manager.db` }, version),
      });
      try {
        await rt.start();
        const status = rt.deps.supervisor.status(profile.id);
        assert.equal(status.state, "running");
        assert.equal(status.pid, pid);
        assert.equal(status.port, profile.port);
        // The adopted run keeps the name it was started under, read from its recorded command line.
        assert.equal(status.served_model, version === "1.5.1" ? null : `profile-${profile.id}`);
        const log = rt.deps.supervisor.logLines(profile.id, 200).join("\n");
        assert.match(log, /Uvicorn running on/, "the log history is read back from the file");
        assert.match(log, /Adopted the running process/);
        await waitFor(
          () => rt.deps.supervisor.status(profile.id).memory_bytes,
          "metrics of the adopted server",
        );

        const stopped = await rt.deps.supervisor.stop(profile.id);
        assert.equal(stopped.state, "stopped");
        assert.equal(alive(pid), false);
        assert.deepEqual(listInstances(rt.db), []);
      } finally {
        await rt.close();
      }
    } finally {
      if (pid && alive(pid)) Deno.kill(-pid, "SIGKILL");
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
);

Deno.test("recorded processes that are gone, or whose pid now runs something else, are cleaned up and left alone", async () => {
  const rt = await testRuntime({ env: serverEnv() });
  const stranger = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const user = await createUser(rt, { admin: true });
    const gone = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir) });
    const reused = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir) });
    const dead = new Deno.Command("true").spawn();
    const deadPid = dead.pid;
    await dead.status;
    const record = (profileId: number, pid: number, port: number) =>
      saveInstance(rt.db, {
        profileId,
        pid,
        host: "127.0.0.1",
        port,
        command: [FAKE_SERVER, "launch", "--model-path", "/x", "--port", String(port)],
        logPath: `${rt.dataDir}/logs/server-${profileId}.log`,
        state: "running",
        startedAt: new Date().toISOString(),
        readyAt: null,
      });
    record(gone.id, deadPid, gone.port);
    record(reused.id, stranger.pid, reused.port);

    await rt.start();
    assert.deepEqual(listInstances(rt.db), []);
    assert.equal(rt.deps.supervisor.status(gone.id).state, "stopped");
    assert.equal(rt.deps.supervisor.status(reused.id).state, "stopped");
    assert.ok(alive(stranger.pid), "a process that is not ours is never signalled");
  } finally {
    stranger.kill("SIGKILL");
    await stranger.status;
    await rt.close();
  }
});

Deno.test("auto_start profiles start with the manager, and a graceful shutdown stops them", async () => {
  const rt = await testRuntime({ env: serverEnv() });
  let pid = 0;
  try {
    const user = await createUser(rt, { admin: true });
    const auto = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir), auto_start: true });
    const manual = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir) });
    await rt.start();
    assert.equal(rt.deps.supervisor.status(auto.id).state, "starting");
    assert.equal(rt.deps.supervisor.status(manual.id).state, "stopped");
    pid = (await waitFor(() => {
      const s = rt.deps.supervisor.status(auto.id);
      return s.state === "running" ? s : null;
    }, "auto-started server running")).pid!;
  } finally {
    await rt.close({ graceful: true });
  }
  assert.equal(alive(pid), false, "MLX_MANAGER_STOP_SERVERS_ON_EXIT defaults to true");
});

Deno.test("with MLX_MANAGER_STOP_SERVERS_ON_EXIT=false a graceful shutdown leaves servers running for the next manager", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-keep-" });
  const env = serverEnv({
    MLX_MANAGER_DATABASE_PATH: `${dataDir}/mlx-manager.db`,
    MLX_MANAGER_STOP_SERVERS_ON_EXIT: "false",
  });
  let pid = 0;
  try {
    const first = await testRuntime({ env });
    const user = await createUser(first, { admin: true });
    const profile = await createProfile(first, user, { model_path: await modelDir(dataDir) });
    pid = (await first.deps.supervisor.start(profile.id, { wait: true })).pid!;
    await first.close({ graceful: true });
    assert.ok(alive(pid));

    const second = await testRuntime({ env });
    try {
      await second.start();
      assert.equal(second.deps.supervisor.status(profile.id).pid, pid);
      await second.deps.supervisor.stop(profile.id);
      assert.equal(alive(pid), false);
    } finally {
      await second.close();
    }
  } finally {
    if (pid && alive(pid)) Deno.kill(-pid, "SIGKILL");
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
