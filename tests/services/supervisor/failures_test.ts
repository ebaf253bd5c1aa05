import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { createUser } from "../../helpers/auth.ts";
import { alive, createProfile, FAKE_SERVER, modelDir, serverEnv } from "../../helpers/servers.ts";
import { freePort, waitFor } from "../../helpers/net.ts";
import { type ServerVersion, versionTest } from "../../helpers/versions.ts";
import { json } from "../../helpers/auth.ts";
import { insertProfile, type ProfileFields } from "../../../db/profiles.ts";
import { PROFILE_DEFAULTS } from "../../../lib/profile_fields.ts";

async function setup(env: Record<string, string> = {}, version: ServerVersion = "1.5.1") {
  const rt = await testRuntime({ env: serverEnv(env, version) });
  const user = await createUser(rt, { admin: true });
  const post = (path: string) => rt.app.request(path, { method: "POST", headers: user.headers });
  return { rt, user, post };
}

versionTest(
  "a model that fails to load (exit 0 before ready) ends failed, with the log tail as the reason",
  async (version) => {
    const { rt, user, post } = await setup({}, version);
    try {
      const profile = await createProfile(rt, user, {
        model_path: await modelDir(rt.dataDir, { fail: "model_not_found" }),
      });
      const res = await post(`/api/servers/${profile.id}/start?wait=true`);
      assert.equal(res.status, 409);
      const body = await res.json();
      assert.match(body.detail, /^Server failed to start: The server exited with code 0 before it was ready/);
      assert.equal(body.code, "start_failed");

      const status =
        await (await rt.app.request(`/api/servers/${profile.id}/status`, { headers: user.headers }))
          .json();
      assert.equal(status.state, "failed");
      assert.equal(status.failed, true);
      assert.equal(status.running, false);
      assert.equal(status.exit_code, 0);
      // 1.8 reports its model process's failure from the server process.
      assert.match(
        status.last_error,
        version === "1.5.1"
          ? /Failed to initialize MLX handler: Error loading model/
          : /Failed to initialize multi-handler setup: Handler process for 'profile-\d+' failed to initialize: Error loading model/,
      );
      assert.match(status.last_error, /Application startup failed\. Exiting\./);
      assert.equal(
        status.reason,
        "This model's architecture (fake_arch) is not supported by the installed mlx-lm: update mlx-openai-server",
      );
      assert.ok(!status.last_error.includes("\x1b"), "colour codes are stripped");
      assert.equal(status.pid, null);

      // Stopping a failed server clears the failure.
      const stop = await post(`/api/servers/${profile.id}/stop`);
      assert.equal((await stop.json()).state, "stopped");
      assert.equal((await post(`/api/servers/${profile.id}/stop`)).status, 404);
    } finally {
      await rt.close();
    }
  },
);

Deno.test("a start on a port in use is refused with 409 before anything is spawned, and shows as failed", async () => {
  const { rt, user, post } = await setup();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    const profile = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir), port });
    const res = await post(`/api/servers/${profile.id}/start`);
    assert.equal(res.status, 409);
    const body = await res.json();
    assert.equal(body.code, "port_in_use");
    assert.match(body.detail, new RegExp(`^Port ${port} is in use by another process`));
    await assert.rejects(Deno.stat(`${rt.dataDir}/logs/server-${profile.id}.log`), Deno.errors.NotFound);

    // The dashboard's card says so until the profile changes: the server is failed, with the reason and its kind.
    const status =
      await (await rt.app.request(`/api/servers/${profile.id}/status`, { headers: user.headers }))
        .json();
    assert.equal(status.state, "failed");
    assert.equal(status.last_error, body.detail, "the check's own message, with no log of an earlier run");
    assert.equal(status.reason, body.detail);
    assert.equal(status.reason_code, "port_in_use");
  } finally {
    listener.close();
    await rt.close();
  }
});

Deno.test("POST /api/servers/:id/free-port moves the profile to the next free port and starts it (admins only)", async () => {
  const { rt, user, post } = await setup();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const taken = (listener.addr as Deno.NetAddr).port;
    const profile = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir), port: taken });
    assert.equal((await post(`/api/servers/${profile.id}/start`)).status, 409);

    const someone = await createUser(rt);
    const refused = await rt.app.request(`/api/servers/${profile.id}/free-port`, {
      method: "POST",
      headers: someone.headers,
    });
    assert.equal(refused.status, 403);
    assert.equal(rt.deps.profiles.get(profile.id).port, taken, "a user changed nothing");

    const res = await post(`/api/servers/${profile.id}/free-port`);
    assert.equal(res.status, 200, await res.clone().text());
    const moved = rt.deps.profiles.get(profile.id).port;
    assert.notEqual(moved, taken);
    assert.ok(moved >= rt.deps.config.defaultPortStart, "a port from the range the manager offers");
    assert.equal((await res.json()).port, moved);
    await waitFor(() => rt.deps.supervisor.status(profile.id).state === "running", "the server runs");
    assert.equal(rt.deps.supervisor.status(profile.id).port, moved);
    assert.equal((await post(`/api/servers/999999/free-port`)).status, 404);
  } finally {
    listener.close();
    await rt.close();
  }
});

Deno.test("starting without the server installed says how to install it", async () => {
  const { rt, user, post } = await setup({ MLX_MANAGER_MLX_SERVER: "/nonexistent/mlx-openai-server" });
  try {
    const profile = await createProfile(rt, user, { model_path: "mlx-community/Qwen3-8B-4bit" });
    const res = await post(`/api/servers/${profile.id}/start`);
    assert.equal(res.status, 409);
    const body = await res.json();
    assert.equal(body.code, "server_not_installed");
    assert.match(body.detail, /mlx-openai-server was not found/);
    assert.match(body.detail, /pip install mlx-openai-server/);
    assert.match(body.detail, /uv tool install mlx-openai-server/);
    assert.match(body.detail, /MLX_MANAGER_MLX_SERVER/);
  } finally {
    await rt.close();
  }
});

Deno.test("on a server without --max-concurrency, a non-default value is refused and the default is left out", async () => {
  const dir = await Deno.makeTempDir();
  const wrapper = `${dir}/mlx-openai-server`;
  await Deno.writeTextFile(wrapper, `#!/bin/sh\nFAKE_MLX_VERSION=1.7.0 exec "${FAKE_SERVER}" "$@"\n`);
  await Deno.chmod(wrapper, 0o755);
  const { rt, user, post } = await setup({ MLX_MANAGER_MLX_SERVER: wrapper });
  try {
    const options = await (await rt.app.request("/api/system/parser-options", { headers: user.headers }))
      .json();
    assert.equal(options.version, "1.7.0");
    assert.deepEqual(options.message_converters, []);

    const model = await modelDir(rt.dataDir);
    // Saving it is refused, with the version named…
    const save = await rt.app.request(
      "/api/profiles",
      json("POST", { name: "tuned", model_path: model, port: freePort(), max_concurrency: 4 }, user.headers),
    );
    assert.equal(save.status, 422);
    assert.match((await save.json()).fields.max_concurrency, /mlx-openai-server 1\.7\.0 serves one request/);
    // …and a profile saved under an earlier version does not start.
    const tuned = insertProfile(rt.db, {
      ...PROFILE_DEFAULTS,
      name: "tuned",
      model_path: model,
      port: freePort(),
      max_concurrency: 4,
    } as ProfileFields, new Date().toISOString());
    const res = await post(`/api/servers/${tuned.id}/start`);
    assert.equal(res.status, 409);
    const body = await res.json();
    assert.equal(body.code, "unsupported_option");
    assert.match(
      body.fields.max_concurrency,
      /^The installed mlx-openai-server 1\.7\.0 serves one request at a time: set Max concurrency to 1/,
    );

    const plain = await createProfile(rt, user, { model_path: model });
    const started = await post(`/api/servers/${plain.id}/start?wait=true`);
    assert.equal(started.status, 200, await started.clone().text());
    assert.equal((await started.json()).state, "running");
  } finally {
    await rt.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a server that ignores SIGTERM is killed after the stop timeout, with its child processes", async () => {
  const { rt, user, post } = await setup({ MLX_MANAGER_STOP_TIMEOUT: "0.5" });
  try {
    const profile = await createProfile(rt, user, {
      model_path: await modelDir(rt.dataDir, { ignore_sigterm: 1, child: 1 }),
    });
    const started = await (await post(`/api/servers/${profile.id}/start?wait=true`)).json();
    const line = await waitFor(
      () => rt.deps.supervisor.logLines(profile.id, 100).find((l) => l.includes("Started handler process")),
      "the fake's child process",
    );
    const childPid = Number(line.match(/\[(\d+)\]/)![1]);
    assert.ok(alive(childPid));

    const res = await post(`/api/servers/${profile.id}/stop`);
    assert.equal(res.status, 200);
    const stopped = await res.json();
    assert.equal(stopped.state, "stopped");
    assert.equal(stopped.exit_signal, "SIGKILL");
    assert.equal(alive(started.pid), false);
    assert.equal(alive(childPid), false, "the server's child is stopped too");
    const log = rt.deps.supervisor.logLines(profile.id, 100).join("\n");
    assert.match(log, /Ignoring SIGTERM/);
    assert.match(log, /sending SIGKILL/);
  } finally {
    await rt.close();
  }
});

Deno.test("20 concurrent starts of one profile start one process", async () => {
  const { rt, user, post } = await setup();
  try {
    const model = await modelDir(rt.dataDir, { load_delay_ms: 300 });
    const profile = await createProfile(rt, user, { model_path: model });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post(`/api/servers/${profile.id}/start`)),
    );
    const bodies = await Promise.all(answers.map((r) => r.json()));
    assert.deepEqual(answers.map((r) => r.status), Array(20).fill(200));
    assert.equal(new Set(bodies.map((b) => b.pid)).size, 1);
    await waitFor(() => rt.deps.supervisor.status(profile.id).state === "running", "running");
    const ps = new Deno.Command("ps", { args: ["-A", "-ww", "-o", "args="] }).outputSync();
    const servers = new TextDecoder().decode(ps.stdout).split("\n")
      .filter((l) => l.includes(`--model-path ${model} `) && l.includes(" launch "));
    assert.equal(servers.length, 1, servers.join("\n"));
  } finally {
    await rt.close();
  }
});

versionTest(
  "a server that does not get ready within the start timeout is stopped and marked failed",
  async (version) => {
    const { rt, user, post } = await setup({
      MLX_MANAGER_START_TIMEOUT: "0.5",
      MLX_MANAGER_STOP_TIMEOUT: "0.5",
    }, version);
    try {
      const profile = await createProfile(rt, user, {
        model_path: await modelDir(rt.dataDir, { load_delay_ms: 10_000 }),
      });
      const res = await post(`/api/servers/${profile.id}/start?wait=true`);
      assert.equal(res.status, 409);
      assert.match((await res.json()).detail, /^Server failed to start: Did not become ready within 0\.5 s/);
      const status = rt.deps.supervisor.status(profile.id);
      assert.equal(status.state, "failed");
      assert.equal(status.pid, null);
    } finally {
      await rt.close();
    }
  },
);

versionTest("stopping a server that is still loading ends it as stopped, not failed", async (version) => {
  const { rt, user, post } = await setup({}, version);
  try {
    const profile = await createProfile(rt, user, {
      model_path: await modelDir(rt.dataDir, { load_delay_ms: 800 }),
    });
    const { pid } = await (await post(`/api/servers/${profile.id}/start`)).json();
    const res = await post(`/api/servers/${profile.id}/stop`);
    const body = await res.json();
    assert.equal(body.state, "stopped");
    assert.equal(body.last_error, null);
    assert.equal(alive(pid), false);
  } finally {
    await rt.close();
  }
});
