import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { createUser } from "../../helpers/auth.ts";
import { alive, createProfile, modelDir, recordUpdates, serverEnv } from "../../helpers/servers.ts";
import { waitFor } from "../../helpers/net.ts";
import { versionTest } from "../../helpers/versions.ts";
import { statusReason } from "../../../lib/server_reason.ts";
import { sampleProcesses, treeUsage } from "../../../services/platform/processes.ts";
import { type CommandRunner, DenoCommandRunner, type RunOptions } from "../../../services/platform/runner.ts";

const INTERVAL_S = 0.5;

async function setup(env: Record<string, string> = {}) {
  const rt = await testRuntime({
    env: serverEnv({ MLX_MANAGER_HEALTH_INTERVAL: String(INTERVAL_S), ...env }, "1.8.1"),
  });
  await rt.start();
  const user = await createUser(rt, { admin: true });
  const post = (path: string) => rt.app.request(path, { method: "POST", headers: user.headers });
  return { rt, user, post };
}

/** The pid of the model process a 1.8 server logged. */
async function modelPid(rt: Awaited<ReturnType<typeof setup>>["rt"], profileId: number): Promise<number> {
  const line = await waitFor(
    () => rt.deps.supervisor.logLines(profileId, 200).findLast((l) => l.includes("Spawned handler process")),
    "the model process",
  );
  return Number(line.match(/pid=(\d+)/)![1]);
}

Deno.test("a 1.8 server's memory is its whole process tree: the server and its model process", async () => {
  const { rt, user, post } = await setup();
  try {
    const profile = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir) });
    const started = await (await post(`/api/servers/${profile.id}/start?wait=true`)).json();
    const child = await modelPid(rt, profile.id);
    await rt.deps.supervisor.tick();
    const rows = await sampleProcesses(new DenoCommandRunner());
    const parent = rows.find((r) => r.pid === started.pid)!;
    const model = rows.find((r) => r.pid === child)!;
    assert.ok(model, "the model process runs under the server");
    const tree = treeUsage(rows, [started.pid]).get(started.pid)!;
    assert.deepEqual(tree.children, [child]);
    const status = rt.deps.supervisor.status(profile.id);
    // Sampled a moment apart, the sizes drift a little; the model process's share must be in it.
    assert.ok(
      status.memory_bytes! > parent.rss + model.rss / 2,
      `${status.memory_bytes} counts the model process (${model.rss}) beside the server (${parent.rss})`,
    );
  } finally {
    await rt.close();
  }
});

Deno.test("a 1.8 model process that dies while /health stays 200 shows the server crashed within one health interval", async () => {
  const { rt, user } = await setup();
  try {
    const profile = await createProfile(rt, user, {
      model_path: await modelDir(rt.dataDir),
      restart_on_crash: false,
    });
    await rt.deps.supervisor.start(profile.id, { wait: true });
    const { pid } = rt.deps.supervisor.status(profile.id);
    const child = await modelPid(rt, profile.id);
    // The first sweep of the running server learns its model process.
    await waitFor(() => rt.deps.supervisor.status(profile.id).memory_bytes !== null, "a sweep");
    const { updates } = recordUpdates(rt);
    const health = await fetch(`http://127.0.0.1:${profile.port}/health`);
    assert.equal(health.status, 200);
    await health.body?.cancel();

    const killedAt = Date.now();
    Deno.kill(child, "SIGKILL");
    // Seen at the next sweep: the server is ended at once (SIGKILL to its group), then shown crashed.
    const seen = await waitFor(() => updates.find((u) => u.state === "stopping"), "seen", 5000);
    assert.ok(
      Date.parse(seen.updated_at) - killedAt <= INTERVAL_S * 1000 + 500,
      `seen within a health interval (${Date.parse(seen.updated_at) - killedAt} ms)`,
    );
    const crashed = await waitFor(() => updates.find((u) => u.state === "crashed"), "crashed", 5000);
    // Seen by the sweep (the pid is gone) or by the server's own line at the sweep's call to it.
    assert.match(
      crashed.last_error!,
      new RegExp(
        `^The model process (\\(pid ${child}\\) ended|ended with exit code -9) while the server kept running`,
      ),
    );
    assert.equal(alive(pid!), false, "the broken server is gone");
    const log = rt.deps.supervisor.logLines(profile.id, 200).join("\n");
    assert.match(log, /ending the server so the next request gets a new one/);
  } finally {
    await rt.close();
  }
});

Deno.test("a 1.8 model process that dies mid-stream ends the stream at once, and the next request is served again", async () => {
  const { rt, user } = await setup();
  try {
    const profile = await createProfile(rt, user, {
      model_path: await modelDir(rt.dataDir, { fail: "crash_mid_stream", token_delay_ms: 20 }),
    });
    await rt.deps.supervisor.start(profile.id, { wait: true });
    await waitFor(() => rt.deps.supervisor.status(profile.id).memory_bytes !== null, "a sweep");
    const key = await rt.deps.keys.create(user.id, { name: "k" });
    const ask = (stream: boolean) =>
      rt.app.request("/v1/chat/completions", {
        method: "POST",
        // Without the manager, 1.8 would leave it waiting for a week: fail the test instead.
        signal: AbortSignal.timeout(20_000),
        headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: profile.name,
          stream,
          messages: [{ role: "user", content: "hello there" }],
        }),
      });
    const started = Date.now();
    const res = await ask(true);
    assert.equal(res.status, 200);
    const text = await res.text();
    // 1.8 itself would leave it waiting until --queue-timeout (a week, as the manager starts it).
    assert.ok(Date.now() - started < 10_000, "the stream ended once the manager saw the model die");
    assert.match(text, /"code":\s*"upstream_crashed"/);
    await waitFor(() => rt.deps.supervisor.status(profile.id).state === "crashed", "crashed");
    assert.match(rt.deps.supervisor.status(profile.id).last_error!, /^The model process/);

    // The next request starts a new server and is answered.
    await Deno.writeTextFile(
      `${profile.model_path}/fake.json`,
      JSON.stringify({ load_delay_ms: 50, token_delay_ms: 1 }),
    );
    const again = await ask(false);
    assert.equal(again.status, 200, await again.clone().text());
    assert.equal((await again.json()).choices[0].message.content, "You said: hello there");
  } finally {
    await rt.close();
  }
});

versionTest("an out-of-memory abort while loading shows the memory reason", async (version) => {
  const rt = await testRuntime({ env: serverEnv({}, version) });
  try {
    const user = await createUser(rt, { admin: true });
    const profile = await createProfile(rt, user, {
      model_path: await modelDir(rt.dataDir, { fail: "oom" }),
    });
    await rt.deps.supervisor.start(profile.id, { wait: true }).catch(() => {});
    const status = rt.deps.supervisor.status(profile.id);
    assert.equal(status.state, "failed");
    // 1.5 dies by SIGABRT; 1.8's server exits 0 after its model process aborted.
    if (version === "1.8.1") assert.equal(status.exit_code, 0);
    else assert.equal(status.exit_signal, "SIGABRT");
    const reason = statusReason(status.last_error, rt.deps.supervisor.logLines(profile.id, 200));
    assert.equal(reason, "Not enough GPU memory for this model");
  } finally {
    await rt.close();
  }
});

Deno.test("a 1.8 model that does not load within the server's own 300 s says so", async () => {
  const { rt, user } = await setup();
  try {
    const profile = await createProfile(rt, user, {
      model_path: await modelDir(rt.dataDir, { fail: "ready_timeout" }),
    });
    await rt.deps.supervisor.start(profile.id, { wait: true }).catch(() => {});
    const status = rt.deps.supervisor.status(profile.id);
    assert.equal(status.exit_code, 0);
    assert.match(
      statusReason(status.last_error, rt.deps.supervisor.logLines(profile.id, 200))!,
      /^The model did not load within mlx-openai-server's fixed 300 s limit/,
    );
  } finally {
    await rt.close();
  }
});

versionTest(
  "a server whose process dies leaves no child behind, and the log says one was ended",
  async (version) => {
    const rt = await testRuntime({ env: serverEnv({ MLX_MANAGER_HEALTH_INTERVAL: "0.5" }, version) });
    try {
      await rt.start();
      const user = await createUser(rt, { admin: true });
      // 1.5 with a child that never ends by itself; 1.8's model process.
      const profile = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir, { child: 1 }) });
      await rt.deps.supervisor.start(profile.id, { wait: true });
      const { pid } = rt.deps.supervisor.status(profile.id);
      const line = await waitFor(
        () =>
          rt.deps.supervisor.logLines(profile.id, 200).find((l) =>
            /Spawned handler process|Started handler process/.test(l)
          ),
        "the child",
      );
      const child = Number(line.match(/pid=(\d+)|\[(\d+)\]/)!.slice(1).find(Boolean));
      Deno.kill(pid!, "SIGKILL");
      await waitFor(() => rt.deps.supervisor.status(profile.id).state === "crashed", "crashed");
      await waitFor(() => !alive(child), "the child is gone", 5000);
      if (version === "1.5.1") {
        assert.match(
          rt.deps.supervisor.logLines(profile.id, 200).join("\n"),
          /Processes of the server's group outlived it/,
        );
      }
    } finally {
      await rt.close();
    }
  },
);

Deno.test("a 1.8 server's own batch figures (/v1/queue/stats) reach its status beside the manager's queue", async () => {
  const { rt, user } = await setup({ MLX_MANAGER_HEALTH_INTERVAL: "3600" });
  try {
    const profile = await createProfile(rt, user, {
      model_path: await modelDir(rt.dataDir, { token_delay_ms: 30 }),
      max_concurrency: 3,
    });
    await rt.deps.supervisor.start(profile.id, { wait: true });
    const lease = await rt.deps.supervisor.acquire(profile.id);
    const stream = await fetch(`${lease.baseUrl}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({
        model: lease.servedModel,
        stream: true,
        messages: [{ role: "user", content: "long" }],
      }),
    });
    await rt.deps.supervisor.tick();
    const status = rt.deps.supervisor.status(profile.id);
    assert.deepEqual(status.server_queue, {
      active: 1,
      waiting: 0,
      batch_size: 3,
      completed: 0,
      batching: true,
    });
    assert.equal(status.in_flight, 1);
    await stream.text();
    lease.release();
  } finally {
    await rt.close();
  }
});

/** The real `ps`, with some pids left out of what it lists. */
class HidingRunner implements CommandRunner {
  readonly #real = new DenoCommandRunner();
  hidden = new Set<number>();
  async run(cmd: string, args: string[], options?: RunOptions) {
    const out = await this.#real.run(cmd, args, options);
    if (cmd !== "ps" || args[0] !== "-A") return out;
    const lines = out.stdout.split("\n").filter((l) => !this.hidden.has(Number(l.trim().split(/\s+/)[0])));
    return { ...out, stdout: lines.join("\n") };
  }
}

Deno.test("the sweep alone sees a 1.8 model process gone from the server's process tree", async () => {
  const processes = new HidingRunner();
  const rt = await testRuntime({
    env: serverEnv({ MLX_MANAGER_HEALTH_INTERVAL: "3600" }, "1.8.1"),
    platform: { processes },
  });
  try {
    const user = await createUser(rt, { admin: true });
    const profile = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir) });
    await rt.deps.supervisor.start(profile.id, { wait: true });
    const child = await modelPid(rt, profile.id);
    await rt.deps.supervisor.tick();
    assert.equal(rt.deps.supervisor.status(profile.id).state, "running");
    // The process lives on (the server says nothing): only the tree changed.
    processes.hidden.add(child);
    await rt.deps.supervisor.tick();
    await waitFor(() => rt.deps.supervisor.status(profile.id).state === "crashed", "crashed");
    assert.match(
      rt.deps.supervisor.status(profile.id).last_error!,
      new RegExp(`^The model process \\(pid ${child}\\) ended while the server kept running`),
    );
  } finally {
    await rt.close();
  }
});
