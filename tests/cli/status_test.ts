import assert from "node:assert/strict";
import { cli } from "../helpers/cli.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { adminAndUser } from "../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../helpers/servers.ts";
import { saveToken } from "../../cli/token_store.ts";
import { serversTable, summarize } from "../../cli/status.ts";

Deno.test("status lists the running servers of a manager with the saved token", async () => {
  const rt = await testRuntime({ env: serverEnv() });
  const { user } = await adminAndUser(rt);
  const server = listen(rt);
  const home = await Deno.makeTempDir();
  try {
    await saveToken(home, { url: server.url, token: user.token, email: user.email, saved_at: "" });
    const empty = await cli(["status"], { home });
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(
      empty.stdout,
      new RegExp(
        `^MLX Manager at ${server.url}\nMemory: \\d+\\.\\d of \\d+\\.\\d GB in use \\(\\d+(\\.\\d+)?%\\)\n\nNo servers running\n$`,
      ),
    );

    const profile = await createProfile(rt, user, {
      name: "qwen3-4b",
      model_path: await modelDir(rt.dataDir),
    });
    const status = await rt.deps.supervisor.start(profile.id, { wait: true });
    const listed = await cli(["status"], { home });
    assert.equal(listed.code, 0, listed.stderr);
    const [header, row] = listed.stdout.split("\n").slice(3);
    assert.match(header, /^ID\s+NAME\s+PORT\s+STATE\s+HEALTH\s+PID\s+MEMORY\s+UPTIME$/);
    assert.deepEqual(row.split(/\s+/).slice(0, 6), [
      String(profile.id),
      "qwen3-4b",
      String(profile.port),
      "running",
      "healthy",
      String(status.pid),
    ]);

    const json = await cli(["status", "--json"], { home });
    assert.equal(json.code, 0);
    const body = JSON.parse(json.stdout);
    assert.equal(body.url, server.url);
    assert.deepEqual(
      body.servers.map((s: { profile_id: number; state: string }) => [s.profile_id, s.state]),
      [
        [profile.id, "running"],
      ],
    );
    assert.ok(body.memory.total_gb > 0);
  } finally {
    await server.stop();
    await rt.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("the status table shows who runs a server and readable memory and uptime", () => {
  const row = summarize({
    profile_id: 2,
    profile_name: "glm",
    port: 10241,
    state: "running",
    health: "healthy",
    pid: 77,
    memory_bytes: 8 * 1024 ** 3,
    uptime_seconds: 3723,
    managed_by: "launchd",
  });
  assert.equal(
    serversTable([row]),
    [
      "ID  NAME  PORT   STATE              HEALTH   PID  MEMORY  UPTIME",
      "2   glm   10241  running (launchd)  healthy  77   8.0 GB  1h 2m",
    ].join("\n"),
  );
});
