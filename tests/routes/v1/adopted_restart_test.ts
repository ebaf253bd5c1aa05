import assert from "node:assert/strict";
import OpenAI from "openai";
import { listen, testRuntime } from "../../helpers/runtime.ts";
import { alive, modelDir, serverEnv } from "../../helpers/servers.ts";
import { freePort, waitFor } from "../../helpers/net.ts";
import { startManager } from "../../helpers/manager.ts";
import { createUser, json } from "../../helpers/auth.ts";

Deno.test("an adopted server killed outside the manager is started again by the next /v1 request, not answered 502", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-adopted-" });
  let pid = 0;
  try {
    const first = await startManager({ dataDir, env: serverEnv({ MLX_MANAGER_OFFLINE: "true" }) });
    const credentials = { email: "ada@example.com", password: "correct horse battery" };
    await first.call("POST", "/api/auth/register", credentials);
    const { access_token: token } = await first.call<{ access_token: string }>(
      "POST",
      "/api/auth/login",
      credentials,
    );
    const profile = await first.call<{ id: number }>("POST", "/api/profiles", {
      name: "survivor",
      model_path: await modelDir(dataDir, { load_delay_ms: 100 }),
      port: freePort(),
    }, token);
    ({ pid } = await first.call<{ pid: number }>(
      "POST",
      `/api/servers/${profile.id}/start?wait=true`,
      undefined,
      token,
    ));
    first.child.kill("SIGKILL");
    await first.child.status;

    await using rt = await testRuntime({
      env: serverEnv({
        MLX_MANAGER_DATABASE_PATH: `${dataDir}/mlx-manager.db`,
        MLX_MANAGER_HEALTH_INTERVAL: "60",
      }),
    });
    await rt.start();
    assert.equal(rt.deps.supervisor.status(profile.id).pid, pid, "adopted");
    const server = listen(rt);
    try {
      const admin = await createUser(rt, { admin: true, email: "grace@example.com" });
      const { key } = await (await rt.app.request("/api/keys", json("POST", { name: "k" }, admin.headers)))
        .json();
      const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key, maxRetries: 0 });
      // Killed by someone else; the next sweep is a minute away.
      Deno.kill(-pid, "SIGKILL");
      await waitFor(() => !alive(pid), "the server is gone");

      const answer = await client.chat.completions.create({
        model: "survivor",
        messages: [{ role: "user", content: "Still there?" }],
      });
      assert.match(answer.choices[0].message.content ?? "", /Still there\?/);
      const status = rt.deps.supervisor.status(profile.id);
      assert.equal(status.state, "running");
      assert.notEqual(status.pid, pid, "a new process serves it");
      pid = status.pid!;
    } finally {
      await server.stop();
    }
  } finally {
    if (pid && alive(pid)) Deno.kill(-pid, "SIGKILL");
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
