import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { createUser } from "../../helpers/auth.ts";
import { createProfile, modelDir, recordUpdates, serverEnv } from "../../helpers/servers.ts";
import { waitFor } from "../../helpers/net.ts";
import { versionTest } from "../../helpers/versions.ts";
import {
  nextHealth,
  parseQueueStats,
  type ProbeResult,
  sweepHealth,
} from "../../../services/supervisor/health.ts";

const miss: ProbeResult = {
  ok: false,
  status: null,
  ms: 500,
  refused: false,
  error: "No answer",
  modelId: null,
};
const hit: ProbeResult = { ok: true, status: 200, ms: 3, refused: false, error: null, modelId: "m" };

Deno.test("one or two missed probes keep a server healthy; the third makes it unhealthy; an answer heals it", () => {
  let h = { health: "healthy" as const, missed: 0 } as ReturnType<typeof nextHealth>;
  const seen: string[] = [];
  for (const probe of [miss, miss, miss, miss, hit]) {
    h = nextHealth(h, probe);
    seen.push(`${h.health}/${h.missed}`);
  }
  assert.deepEqual(seen, ["healthy/1", "healthy/2", "unhealthy/3", "unhealthy/4", "healthy/0"]);
});

Deno.test("a sweep probes every server at once: silent ones time out, the others answer", async () => {
  const ok = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => Response.json({ status: "ok" }),
  );
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of silent) held.push(conn);
  })();
  try {
    const targets = [
      ...Array.from({ length: 4 }, (_, i) => ({ id: i, baseUrl: `http://127.0.0.1:${ok.addr.port}` })),
      { id: 9, baseUrl: `http://127.0.0.1:${(silent.addr as Deno.NetAddr).port}` },
    ];
    const results = await sweepHealth(targets, 300);
    assert.deepEqual([...results.keys()], [0, 1, 2, 3, 9]);
    assert.ok([0, 1, 2, 3].every((i) => results.get(i)!.ok));
    assert.equal(results.get(9)!.ok, false);
    assert.equal(results.get(9)!.error, "No answer within 300 ms");
  } finally {
    silent.close();
    await accepting.catch(() => {});
    held.forEach((c) => c.close());
    await ok.shutdown();
  }
});

versionTest(
  "a running server that stops answering turns unhealthy after three sweeps, and healthy when it answers again",
  async (version) => {
    const rt = await testRuntime({ env: serverEnv({}, version) });
    await rt.start();
    let pid = 0;
    try {
      const user = await createUser(rt, { admin: true });
      const profile = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir) });
      const started = await rt.app.request(`/api/servers/${profile.id}/start?wait=true`, {
        method: "POST",
        headers: user.headers,
      });
      pid = (await started.json()).pid;
      const { updates } = recordUpdates(rt);
      await waitFor(
        () => updates.find((u) => u.memory_bytes !== null && u.memory_bytes > 0),
        "metrics published",
      );
      const metrics = updates.find((u) => u.memory_bytes !== null)!;
      assert.ok(metrics.cpu_percent !== null && metrics.cpu_percent >= 0);
      assert.ok(metrics.memory_percent! > 0);

      Deno.kill(pid, "SIGSTOP"); // alive, but answers nothing: like a server busy with a long generation
      const unhealthy = await waitFor(() => updates.find((u) => u.health === "unhealthy"), "unhealthy");
      assert.equal(unhealthy.state, "running", "a silent server is not declared dead");
      assert.equal(unhealthy.missed_probes, 3);
      const firstMiss = updates.find((u) => u.missed_probes === 1)!;
      assert.equal(firstMiss.health, "healthy", "one missed probe is not a failure");

      Deno.kill(pid, "SIGCONT");
      const healed = updates.length;
      await waitFor(() => updates.slice(healed).find((u) => u.health === "healthy"), "healthy again");
    } finally {
      if (pid) Deno.kill(pid, "SIGCONT");
      await rt.close();
    }
  },
);

Deno.test("parseQueueStats() reads 1.8's batch figures, the serial worker's with batching off, and nothing from 1.5", () => {
  const worker = {
    running: true,
    queue_size: 0,
    max_queue_size: 100,
    active_requests: 1,
    completed_requests: 12,
  };
  const batch = {
    running: true,
    queue_size: 2,
    max_queue_size: 100,
    active_requests: 3,
    completion_batch_size: 8,
    prefill_batch_size: 8,
    disabled: false,
  };
  assert.deepEqual(
    parseQueueStats({ status: "ok", queue_stats: { queue_stats: worker, batch_stats: batch } }),
    {
      active: 3,
      waiting: 2,
      batch_size: 8,
      completed: 12,
      batching: true,
    },
  );
  assert.deepEqual(
    parseQueueStats({ queue_stats: { queue_stats: worker, batch_stats: { ...batch, disabled: true } } }),
    { active: 1, waiting: 0, batch_size: 1, completed: 12, batching: false },
  );
  assert.equal(
    parseQueueStats({ queue_stats: { queue_stats: { ...worker, max_concurrency: 1 } } }),
    null,
    "1.5.1 has no batch",
  );
  assert.equal(parseQueueStats("nonsense"), null);
});
