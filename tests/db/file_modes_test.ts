import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { startManager } from "../helpers/manager.ts";
import { cli } from "../helpers/cli.ts";
import { FAKE_SERVER, modelDir } from "../helpers/servers.ts";
import { freePort, waitFor } from "../helpers/net.ts";

/** Every file and folder under `dir` with its permission bits, e.g. `{ "logs/server-1.log": "600" }`. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of Deno.readDirSync(folder)) {
      const path = join(folder, entry.name);
      out[relative(dir, path) + (entry.isDirectory ? "/" : "")] = (Deno.lstatSync(path).mode! & 0o777)
        .toString(8);
      if (entry.isDirectory) walk(path);
    }
  };
  out["./"] = (Deno.statSync(dir).mode! & 0o777).toString(8);
  walk(dir);
  return out;
}

/** The entries of `all` whose mode is not the private one. */
function exposed(all: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(all).filter(([path, mode]) => mode !== (path.endsWith("/") ? "700" : "600")),
  );
}

/** Runs a manager on `data` and makes it write every kind of file it keeps; returns what it left running. */
async function writeEverything(home: string, data: string) {
  const manager = await startManager({
    dataDir: home,
    env: { MLX_MANAGER_DATA_DIR: data, MLX_MANAGER_MLX_SERVER: FAKE_SERVER, MLX_MANAGER_OFFLINE: "true" },
  });
  const { call } = manager;
  const credentials = { email: "ada@example.com", password: "correct horse battery" };
  try {
    await call("POST", "/api/auth/register", credentials).catch(() => {});
    const { access_token: token } = await call<{ access_token: string }>(
      "POST",
      "/api/auth/login",
      credentials,
    );
    // A sealed MCP secret (the secret key), a key (the pepper), a model server's log.
    await call("POST", "/api/mcp/servers", {
      name: `tools-${crypto.randomUUID().slice(0, 4)}`,
      transport: "stdio",
      command: "true",
      args: [],
      env: { TOKEN: "s3cret-value" },
      enabled: false,
    }, token);
    await call("POST", "/api/keys", { name: "laptop" }, token);
    const profile = await call<{ id: number }>("POST", "/api/profiles", {
      name: `fake-${crypto.randomUUID().slice(0, 4)}`,
      model_path: await modelDir(home, { load_delay_ms: 0 }),
      port: freePort(),
    }, token);
    await call("POST", `/api/servers/${profile.id}/start?wait=true`, undefined, token);
    const login = await cli(
      ["login", "--url", manager.url, "--email", credentials.email, "--password-stdin"],
      {
        home,
        env: { MLX_MANAGER_DATA_DIR: data },
        stdin: credentials.password,
      },
    );
    assert.equal(login.code, 0, login.stderr);
    return manager;
  } catch (error) {
    manager.child.kill("SIGKILL");
    await manager.child.status;
    throw error;
  }
}

async function stop(manager: { child: Deno.ChildProcess }): Promise<void> {
  manager.child.kill("SIGTERM");
  await manager.child.status;
}

Deno.test("the data dir is 0700 and every file in it (database and its WAL, KV store, logs, secrets, CLI token) is 0600 from its creation", async () => {
  const home = await Deno.makeTempDir({ prefix: "mlx-manager-modes-" });
  const data = join(home, "data");
  try {
    const manager = await writeEverything(home, data);
    try {
      const all = modes(data);
      const kept = [
        "mlx-manager.db",
        "mlx-manager.db-wal",
        "kv.sqlite3",
        "jwt-secret",
        "api-key-pepper",
        "secret.key",
      ];
      for (const name of [...kept, "cli-token"]) {
        assert.ok(name in all, `${name} is missing: ${JSON.stringify(all)}`);
      }
      assert.ok(Object.keys(all).some((p) => /^logs\/server-\d+\.log$/.test(p)), JSON.stringify(all));
      assert.deepEqual(exposed(all), {});
    } finally {
      await stop(manager);
    }
    assert.deepEqual(exposed(modes(data)), {});
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
});

Deno.test("an install with readable files (0755 folders, 0644 files) is made private at start", async () => {
  const home = await Deno.makeTempDir({ prefix: "mlx-manager-modes-" });
  const data = join(home, "data");
  try {
    await stop(await writeEverything(home, data));
    // As an earlier version left them.
    for (const [path, mode] of Object.entries(modes(data))) {
      Deno.chmodSync(join(data, path), path.endsWith("/") ? 0o755 : 0o644);
      assert.ok(mode);
    }
    assert.notDeepEqual(exposed(modes(data)), {});
    const manager = await startManager({
      dataDir: home,
      env: { MLX_MANAGER_DATA_DIR: data, MLX_MANAGER_MLX_SERVER: FAKE_SERVER, MLX_MANAGER_OFFLINE: "true" },
    });
    try {
      await waitFor(() => Deno.statSync(join(data, "mlx-manager.db-wal")).isFile, "the database is open");
      assert.deepEqual(exposed(modes(data)), {});
    } finally {
      await stop(manager);
    }
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
});
