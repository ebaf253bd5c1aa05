import assert from "node:assert/strict";
import { testRuntime } from "../helpers/runtime.ts";
import { createUser } from "../helpers/auth.ts";
import { createProfile, serverEnv } from "../helpers/servers.ts";
import { waitFor } from "../helpers/net.ts";

/** Writes a minimal model into a Hugging Face cache, as the Python library lays it out. */
async function cachedModel(cache: string, id: string): Promise<void> {
  const repo = `${cache}/models--${id.replace("/", "--")}`;
  const commit = "a".repeat(40);
  await Deno.mkdir(`${repo}/blobs`, { recursive: true });
  await Deno.mkdir(`${repo}/snapshots/${commit}`, { recursive: true });
  await Deno.mkdir(`${repo}/refs`, { recursive: true });
  await Deno.writeTextFile(
    `${repo}/blobs/cfg`,
    JSON.stringify({ model_type: "qwen3", num_hidden_layers: 2 }),
  );
  await Deno.symlink("../../blobs/cfg", `${repo}/snapshots/${commit}/config.json`);
  await Deno.writeTextFile(`${repo}/refs/main`, commit);
  // Last read a day ago, as far as the file system knows.
  const dayAgo = new Date(Date.now() - 86_400_000);
  await Deno.utime(`${repo}/blobs/cfg`, dayAgo, dayAgo);
}

interface Local {
  model_id: string;
  used_by: { id: number; name: string }[];
  running: { id: number; name: string }[];
  last_used_at: string | null;
}

Deno.test("local models show the profiles and running servers that use them, and when they were last served", async () => {
  const cache = await Deno.makeTempDir({ prefix: "hf-cache-" });
  const id = "mlx-community/Tiny-4bit";
  await cachedModel(cache, id);
  const rt = await testRuntime({ env: serverEnv({ HF_HUB_CACHE: cache }) });
  try {
    const admin = await createUser(rt, { admin: true });
    const profile = await createProfile(rt, admin, { model_path: id, name: "tiny" });
    const local = async () => {
      const res = await rt.app.request("/api/models/local", { headers: admin.headers });
      return ((await res.json()) as Local[]).find((m) => m.model_id === id)!;
    };
    let model = await local();
    assert.deepEqual(model.used_by, [{ id: profile.id, name: "tiny" }]);
    assert.deepEqual(model.running, []);
    assert.ok(Date.parse(model.last_used_at!) < Date.now() - 3_600_000, "before: the file's last access");
    const startedAt = Date.now();

    const start = await rt.app.request(`/api/servers/${profile.id}/start`, {
      method: "POST",
      headers: admin.headers,
    });
    assert.equal(start.status, 200);
    await start.body?.cancel();
    await waitFor(() => rt.deps.supervisor.status(profile.id).state === "running", "server running");
    model = await local();
    assert.deepEqual(model.running, [{ id: profile.id, name: "tiny" }]);
    assert.ok(Date.parse(model.last_used_at!) >= startedAt - 1000, "serving a model records its last use");

    const refused = await rt.app.request(`/api/models/${id}`, { method: "DELETE", headers: admin.headers });
    assert.equal(refused.status, 409, "a model a running server uses is not deleted without force");
    await refused.body?.cancel();
    await rt.deps.supervisor.stop(profile.id);
  } finally {
    await rt.close();
    await Deno.remove(cache, { recursive: true });
  }
});
