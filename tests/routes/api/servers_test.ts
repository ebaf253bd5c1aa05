import assert from "node:assert/strict";
import { listen, testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, adminHeaders, json } from "../../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../../helpers/servers.ts";
import { type SseBlock, sseBlocks } from "../../helpers/sse.ts";

Deno.test("the servers API answers 404 for an unknown profile and reports a never-started one as stopped", async () => {
  const rt = await testRuntime({ env: serverEnv() });
  try {
    const { user } = await adminAndUser(rt);
    for (
      const [method, path] of [
        ["POST", "/api/servers/999/start"],
        ["POST", "/api/servers/999/stop"],
        ["POST", "/api/servers/999/restart"],
        ["GET", "/api/servers/999/health"],
        ["GET", "/api/servers/999/status"],
        ["GET", "/api/servers/999/logs"],
      ]
    ) {
      const res = await rt.app.request(path, { method, headers: user.headers });
      assert.equal(res.status, 404, path);
      assert.deepEqual(await res.json(), { detail: "Profile not found", code: "not_found" });
    }
    const profile = await createProfile(rt, user, { model_path: "mlx-community/Qwen3-8B-4bit" });
    const status =
      await (await rt.app.request(`/api/servers/${profile.id}/status`, { headers: user.headers }))
        .json();
    assert.equal(status.state, "stopped");
    assert.equal(status.running, false);
    assert.equal(status.failed, false);
    assert.equal(status.managed_by, "manager");
    assert.equal(status.port, profile.port);
    const stop = await rt.app.request(`/api/servers/${profile.id}/stop`, {
      method: "POST",
      headers: user.headers,
    });
    assert.equal(stop.status, 404);
    assert.deepEqual(await stop.json(), { detail: "Server not running", code: "not_found" });
    const health = await rt.app.request(`/api/servers/${profile.id}/health`, { headers: user.headers });
    assert.equal((await health.json()).status, "stopped");
    const bad = await rt.app.request(`/api/servers/${profile.id}/start?wait=maybe`, {
      method: "POST",
      headers: user.headers,
    });
    assert.equal(bad.status, 422);
    await bad.body?.cancel();
  } finally {
    await rt.close();
  }
});

async function nextLines(
  blocks: AsyncGenerator<SseBlock>,
  until: (lines: string[]) => boolean,
): Promise<string[]> {
  // next() rather than for-await: breaking out of a for-await would close the stream.
  const lines: string[] = [];
  while (!until(lines)) {
    const { value, done } = await blocks.next();
    if (done) throw new Error(`The stream ended after: ${lines.join("\n")}`);
    if (value.data) lines.push(JSON.parse(value.data).line);
  }
  return lines;
}

Deno.test("GET /api/servers/{id}/logs sends the recent lines, then every live line to every client, without colour codes", async () => {
  const rt = await testRuntime({ env: serverEnv() });
  const server = listen(rt);
  try {
    const { user } = await adminAndUser(rt);
    const profile = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir) });
    const started = await fetch(`${server.url}/api/servers/${profile.id}/start?wait=true`, {
      method: "POST",
      headers: user.headers,
    });
    assert.equal((await started.json()).state, "running");

    const open = async (query = "") => {
      const res = await fetch(`${server.url}/api/servers/${profile.id}/logs${query}`, {
        headers: user.headers,
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
      return sseBlocks(res, AbortSignal.timeout(10_000));
    };
    const a = await open();
    const b = await open("?lines=2");
    const historyA = await nextLines(a, (l) => l.some((x) => x.includes("Uvicorn running on")));
    assert.match(historyA[0], /^\[mlx-manager\] .* Starting: .*mlx-openai-server launch --model-path/);
    assert.ok(historyA.some((l) => l.includes("| INFO     | app.main:start:88 | ✦ Starting server on")));
    assert.ok(historyA.every((l) => !l.includes("\x1b")), "colour codes are stripped");
    const historyB = await nextLines(b, (l) => l.length === 2);
    assert.equal(historyB.length, 2);

    // A request to the model server makes it log an access line: both clients get it.
    await (await fetch(`http://127.0.0.1:${profile.port}/v1/models`)).body?.cancel();
    const access = (l: string[]) => l.some((x) => x.includes('"GET /v1/models HTTP/1.1" 200'));
    await nextLines(a, access);
    await nextLines(b, access);
    await a.return(undefined);
    await b.return(undefined);

    const bad = await fetch(`${server.url}/api/servers/${profile.id}/logs?lines=5000`, {
      headers: user.headers,
    });
    assert.equal(bad.status, 422);
    assert.match((await bad.json()).detail, /lines must be a whole number from 0 to 1000/);
  } finally {
    await server.stop();
    await rt.close();
  }
});

Deno.test("POST /api/servers/{id}/restart replaces the process, and also starts a stopped server", async () => {
  const rt = await testRuntime({ env: serverEnv() });
  try {
    const { user } = await adminAndUser(rt);
    const profile = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir) });
    const post = (path: string) => rt.app.request(path, { method: "POST", headers: user.headers });
    const first = await (await post(`/api/servers/${profile.id}/restart?wait=true`)).json();
    assert.equal(first.state, "running");
    const second = await (await post(`/api/servers/${profile.id}/restart?wait=true`)).json();
    assert.equal(second.state, "running");
    assert.notEqual(second.pid, first.pid);
    const list = await (await rt.app.request("/api/servers", { headers: user.headers })).json();
    assert.deepEqual(list.map((s: { profile_id: number; state: string }) => [s.profile_id, s.state]), [
      [profile.id, "running"],
    ]);
    assert.equal(list[0].profile_name, profile.name);
    assert.equal(typeof list[0].uptime_seconds, "number");
    // Editing the profile while it runs keeps the running address in the status.
    await rt.app.request(
      `/api/profiles/${profile.id}`,
      json("PUT", { name: "renamed" }, await adminHeaders(rt)),
    );
    const renamed =
      await (await rt.app.request(`/api/servers/${profile.id}/status`, { headers: user.headers }))
        .json();
    assert.equal(renamed.profile_name, "renamed");
  } finally {
    await rt.close();
  }
});
