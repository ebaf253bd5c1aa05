import assert from "node:assert/strict";
import OpenAI from "openai";
import { startGateway } from "./setup.ts";
import { versionTest } from "../../helpers/versions.ts";
import { waitFor } from "../../helpers/net.ts";
import { alive } from "../../helpers/servers.ts";

const hello = [{ role: "user" as const, content: "hi" }];

versionTest(
  "/v1 idle unload: the server stops idle_timeout after a request, and a stream longer than that finishes whole first",
  async (version) => {
    await using gw = await startGateway({}, {}, version);
    const reply = "word ".repeat(50);
    // 50 words in 4-character chunks, 40 ms apart: a stream of about 2.5 s, over the 1 s idle timeout.
    const profile = await gw.profile({ name: "sleepy", idle_timeout: 1 }, { reply, token_delay_ms: 40 });
    const { key } = await gw.key();
    const client = gw.client(key);
    const supervisor = gw.rt.deps.supervisor;

    await client.chat.completions.create({ model: "sleepy", messages: hello });
    const firstPid = supervisor.status(profile.id).pid!;
    assert.ok(alive(firstPid));
    await waitFor(
      () => supervisor.status(profile.id).state === "stopped",
      "stopped after the idle timeout",
      5000,
    );
    await waitFor(() => !alive(firstPid), "the process is gone", 5000);
    const models = await client.models.list();
    const entry = models.data.find((m) => m.id === "sleepy") as unknown as {
      mlx_manager: { loaded: boolean };
    };
    assert.equal(entry.mlx_manager.loaded, false, "/v1/models shows it unloaded");

    const stream = await client.chat.completions.create({ model: "sleepy", messages: hello, stream: true });
    const secondPid = supervisor.status(profile.id).pid!;
    assert.notEqual(secondPid, firstPid, "the request after the unload started a new process");
    const states = new Set<string>();
    let text = "";
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      states.add(supervisor.status(profile.id).state);
    }
    assert.equal(text, reply, "the stream was not cut");
    assert.equal(finish, "stop");
    assert.deepEqual([...states], ["running"], "running for the whole stream");
    assert.ok(alive(secondPid));
    await waitFor(() => supervisor.status(profile.id).state === "stopped", "stopped after the stream", 5000);
    await waitFor(() => !alive(secondPid), "the process is gone", 5000);

    const rows = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 5 }).data;
    assert.deepEqual(rows.map((r) => [r.outcome, r.cold_start]), [["ok", true], ["ok", true]]);
  },
);

Deno.test("/v1 idle unload: a client that aborts a stream releases the server, which then unloads", async () => {
  await using gw = await startGateway();
  const profile = await gw.profile({ name: "dropped", idle_timeout: 1 }, {
    reply: "word ".repeat(400),
    token_delay_ms: 25,
  });
  const { key } = await gw.key();
  const supervisor = gw.rt.deps.supervisor;
  const controller = new AbortController();
  const stream = await gw.client(key).chat.completions.create(
    { model: "dropped", messages: hello, stream: true },
    { signal: controller.signal },
  );
  let n = 0;
  try {
    for await (const _ of stream) if (++n === 2) controller.abort();
  } catch { /* the client may report the abort */ }
  await waitFor(() => supervisor.status(profile.id).in_flight === 0, "the lease is released", 2000);
  await waitFor(() => supervisor.status(profile.id).state === "stopped", "unloaded after the abort", 5000);
});

Deno.test("/v1 loaded-model limit: a request over MLX_MANAGER_MAX_LOADED_MODELS stops the least recently used server, never a keep_loaded one", async () => {
  await using gw = await startGateway({ MLX_MANAGER_MAX_LOADED_MODELS: "3" });
  const kept = await gw.profile({ name: "kept", keep_loaded: true });
  const older = await gw.profile({ name: "older" });
  const newer = await gw.profile({ name: "newer" });
  const extra = await gw.profile({ name: "extra" });
  const { key } = await gw.key();
  const client = gw.client(key);
  const supervisor = gw.rt.deps.supervisor;
  const ask = (model: string) => client.chat.completions.create({ model, messages: hello });

  // Used in the order kept, older, newer, then older again: newer is the least recently used
  // of the two that may go; kept is older still, but keep_loaded.
  await ask("kept");
  await ask("older");
  await ask("newer");
  await ask("older");
  const newerPid = supervisor.status(newer.id).pid!;
  const answer = await ask("extra");
  assert.equal(answer.choices[0].message.content, "You said: hi");
  assert.equal(supervisor.status(newer.id).state, "stopped", "the least recently used went");
  assert.ok(!alive(newerPid), "its process is gone");
  for (const p of [kept, older, extra]) {
    assert.equal(supervisor.status(p.id).state, "running", `${p.name} is still loaded`);
  }
  assert.equal(supervisor.list().filter((s) => s.state === "running").length, 3);
});

// max_concurrency 2: a semaphore of 2 on 1.5.1, a batch of 2 on 1.8.1; the manager admits exactly that many.
versionTest(
  "/v1 queue: a full queue answers 429 queue_full with Retry-After; a wait past queue_timeout 503 with Retry-After",
  async (version) => {
    await using gw = await startGateway({}, {}, version);
    const profile = await gw.profile(
      { name: "narrow", max_concurrency: 2, queue_size: 1, queue_timeout: 1 },
      { reply: "word ".repeat(100), token_delay_ms: 20 },
    );
    const { key } = await gw.key();
    const client = gw.client(key);
    const supervisor = gw.rt.deps.supervisor;

    // Two streams hold both slots, one request waits in the queue of one.
    const holding = await client.chat.completions.create({ model: "narrow", messages: hello, stream: true });
    const second = await client.chat.completions.create({ model: "narrow", messages: hello, stream: true });
    const waiting = client.chat.completions.create({ model: "narrow", messages: hello }).catch((e) => e);
    await waitFor(() => supervisor.status(profile.id).queued === 1, "one request waits");
    assert.equal(supervisor.status(profile.id).in_flight, 2);

    const full = await client.chat.completions.create({ model: "narrow", messages: hello }).catch((e) => e);
    assert.ok(full instanceof OpenAI.RateLimitError, `a 429, not ${full}`);
    assert.equal(full.code, "queue_full");
    assert.ok(Number(full.headers?.get("retry-after")) >= 1, "Retry-After in seconds");
    assert.ok(Number(full.headers?.get("retry-after-ms")) >= 1000);

    const timedOut = await waiting;
    assert.ok(
      timedOut instanceof OpenAI.InternalServerError && timedOut.status === 503,
      `a 503, not ${timedOut}`,
    );
    assert.equal(timedOut.code, "queue_timeout");
    assert.ok(Number(timedOut.headers?.get("retry-after")) >= 1);

    for (const stream of [holding, second]) {
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      assert.equal(text, "word ".repeat(100), "the holding streams were untouched");
    }

    const outcomes = await waitFor(() => {
      const data = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 5 }).data;
      return data.length >= 4 && data.map((r) => r.outcome).sort();
    }, "four rows");
    assert.deepEqual(outcomes, ["ok", "ok", "queue_full", "queue_timeout"]);
  },
);

Deno.test("/v1 queue: the official client retries a full queue after Retry-After and then succeeds", async () => {
  await using gw = await startGateway();
  const profile = await gw.profile(
    { name: "busy", max_concurrency: 1, queue_size: 1 },
    { reply: "word ".repeat(20), token_delay_ms: 40 },
  );
  const { key } = await gw.key();
  const client = gw.client(key);
  const supervisor = gw.rt.deps.supervisor;
  const holding = await client.chat.completions.create({ model: "busy", messages: hello, stream: true });
  const waiting = client.chat.completions.create({ model: "busy", messages: hello });
  await waitFor(() => supervisor.status(profile.id).queued === 1, "one request waits");
  const retrying = gw.client(key, { maxRetries: 3 }).chat.completions.create({
    model: "busy",
    messages: hello,
  });
  await waitFor(
    () =>
      gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 1 }).data[0]?.outcome ===
        "queue_full",
    "the first try was refused",
  );
  for await (const _ of holding) { /* read to the end */ }
  const reply = "word ".repeat(20);
  assert.equal((await waiting).choices[0].message.content, reply);
  assert.equal((await retrying).choices[0].message.content, reply, "the retry got through");
  const rows = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 10 }).data;
  assert.deepEqual(rows.map((r) => r.outcome).sort(), ["ok", "ok", "ok", "queue_full"]);
  assert.equal(supervisor.status(profile.id).in_flight, 0);
});
