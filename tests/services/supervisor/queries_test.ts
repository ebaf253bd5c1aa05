import assert from "node:assert/strict";
import { dirname } from "node:path";
import { testRuntime } from "../../helpers/runtime.ts";
import { createUser } from "../../helpers/auth.ts";
import { createProfile, modelDir, recordUpdates, serverEnv } from "../../helpers/servers.ts";
import { waitFor } from "../../helpers/net.ts";
import { logPathOf } from "../../../services/supervisor/server_log.ts";

Deno.test("Supervisor.status() and the log queries of a never-started profile create no server", async () => {
  await using rt = await testRuntime({ env: serverEnv() });
  const user = await createUser(rt, { admin: true });
  const profile = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir) });
  const path = logPathOf(rt.deps.config.dataDir, profile.id);
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeTextFile(path, "an earlier run\n");
  const { supervisor } = rt.deps;

  const status = supervisor.status(profile.id);
  assert.equal(status.state, "stopped");
  assert.equal(status.pid, null);
  assert.equal((await supervisor.health(profile.id)).status, "stopped");
  await supervisor.loadLogHistory(profile.id);
  assert.deepEqual(supervisor.logLines(profile.id, 10), ["an earlier run"]);
  const unsubscribe = supervisor.onLogLine(profile.id, () => {});
  unsubscribe();
  assert.deepEqual(supervisor.list(), []);

  // Forgetting a profile announces its server as stopped only when a server was made for it.
  const { updates } = recordUpdates(rt);
  await supervisor.forget(profile.id);
  assert.deepEqual(updates, []);
  await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
});

Deno.test("Supervisor.onLogLine() of a stopped profile keeps following once its server starts", async () => {
  await using rt = await testRuntime({ env: serverEnv() });
  const user = await createUser(rt, { admin: true });
  const profile = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir) });
  const { supervisor } = rt.deps;
  const lines: string[] = [];
  const unsubscribe = supervisor.onLogLine(profile.id, (line) => lines.push(line));
  try {
    await supervisor.start(profile.id, { wait: true });
    await waitFor(() => lines.some((l) => l.includes("Starting: ")), "the start note");
    await waitFor(() => lines.some((l) => !l.startsWith("[mlx-manager]")), "a line of the server");
    assert.ok(supervisor.logLines(profile.id, 100).some((l) => l.includes("Starting: ")));
  } finally {
    unsubscribe();
  }
});

Deno.test("Supervisor.status() of an unknown profile throws not_found and creates nothing", async () => {
  await using rt = await testRuntime({ env: serverEnv() });
  assert.throws(() => rt.deps.supervisor.status(999), { code: "not_found" });
  assert.throws(() => rt.deps.supervisor.logLines(999, 10), { code: "not_found" });
  assert.deepEqual(rt.deps.supervisor.list(), []);
});
