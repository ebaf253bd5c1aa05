import assert from "node:assert/strict";
import type { ChatEvent } from "../../../lib/chat/types.ts";
import { json, type TestUser } from "../../helpers/auth.ts";
import { withSupervisedChat } from "../../helpers/chat.ts";
import { waitFor } from "../../helpers/net.ts";
import { createProfile, modelDir } from "../../helpers/servers.ts";
import { sseBlocks } from "../../helpers/sse.ts";
import type { TestRuntime } from "../../helpers/runtime.ts";

const hello = [{ role: "user", content: "hello" }];
/** 50 words in 4-character chunks 50 ms apart: an answer of about 3 s. */
const LONG = { reply: "word ".repeat(50), token_delay_ms: 50 };

/** Streams one chat turn, calling `onEvent` with each event as it arrives; returns them all. */
async function streamChat(
  rt: TestRuntime,
  user: TestUser,
  body: Record<string, unknown>,
  onEvent: (event: ChatEvent) => void = () => {},
): Promise<ChatEvent[]> {
  const res = await rt.app.request("/api/chat/completions", json("POST", body, user.headers));
  assert.equal(res.status, 200);
  const events: ChatEvent[] = [];
  for await (const block of sseBlocks(res)) {
    if (!block.data) continue;
    const event = JSON.parse(block.data) as ChatEvent;
    events.push(event);
    onEvent(event);
  }
  return events;
}

function text(events: ChatEvent[]): string {
  return events.filter((e) => e.type === "response").map((e) => (e as { content: string }).content).join("");
}

Deno.test("a chat answer longer than idle_timeout completes whole, holding its server, which unloads after it", async () => {
  await withSupervisedChat(LONG, async ({ rt, user, profile }) => {
    const supervisor = rt.deps.supervisor;
    const states = new Set<string>();
    const inFlight = new Set<number>();
    const events = await streamChat(rt, user, { profile_id: profile.id, messages: hello }, (event) => {
      if (event.type !== "response") return;
      const status = supervisor.status(profile.id);
      states.add(status.state);
      inFlight.add(status.in_flight);
    });
    assert.equal(events.at(-1)?.type, "done", JSON.stringify(events.filter((e) => e.type === "error")));
    assert.equal(text(events), LONG.reply, "the answer was not cut");
    assert.deepEqual([...states], ["running"], "running for the whole answer");
    assert.deepEqual([...inFlight], [1], "the turn counts as a request in flight");
    // Released at the end of the turn: the idle timer runs again.
    assert.equal(supervisor.status(profile.id).in_flight, 0);
    await waitFor(() => supervisor.status(profile.id).state === "stopped", "unloaded after the answer", 5000);
  }, { profile: { idle_timeout: 1 } });
});

Deno.test("an eviction under MLX_MANAGER_MAX_LOADED_MODELS waits for the chat turn in progress", async () => {
  await withSupervisedChat(LONG, async ({ rt, user, profile }) => {
    const supervisor = rt.deps.supervisor;
    const other = await createProfile(rt, user, {
      name: "other",
      model_path: await modelDir(rt.dataDir, { load_delay_ms: 0 }),
    });
    const key = await (await rt.app.request("/api/keys", json("POST", { name: "k" }, user.headers))).json();
    const sent: Promise<Response>[] = [];
    const events = await streamChat(rt, user, { profile_id: profile.id, messages: hello }, (event) => {
      if (event.type !== "response" || sent.length) return;
      // A /v1 request to another profile while the chat streams: one model may be loaded.
      sent.push(Promise.resolve(rt.app.request("/v1/chat/completions", {
        method: "POST",
        headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "other", messages: hello }),
      })));
    });
    assert.equal(events.at(-1)?.type, "done", JSON.stringify(events.filter((e) => e.type === "error")));
    assert.equal(text(events), LONG.reply, "the chat's server was not evicted mid-answer");
    assert.equal(sent.length, 1, "the /v1 request was sent");
    const answer = await sent[0];
    assert.equal(answer.status, 200, await answer.clone().text());
    assert.equal((await answer.json()).choices[0].message.content, "You said: hello");
    assert.equal(supervisor.status(other.id).state, "running");
    assert.equal(supervisor.status(profile.id).state, "stopped", "evicted once the turn ended");
  }, { env: { MLX_MANAGER_MAX_LOADED_MODELS: "1" } });
});

Deno.test("a chat to a stopped server starts it as /v1 would, saying so while it loads, and records a cold start", async () => {
  await withSupervisedChat({ load_delay_ms: 300 }, async ({ rt, user, profile }) => {
    const events = await streamChat(rt, user, { profile_id: profile.id, messages: hello });
    assert.deepEqual(events[0], {
      type: "waiting",
      reason: "starting",
      content: "Starting Fake Qwen… (loading a model can take a while)",
    });
    assert.equal(text(events), "You said: hello");
    assert.equal(events.at(-1)?.type, "done");
    assert.equal(rt.deps.supervisor.status(profile.id).state, "running");
    const [row] = rt.deps.activity.list({ id: user.id, isAdmin: true }, { limit: 1 }).data;
    assert.deepEqual([row.endpoint, row.outcome, row.cold_start], ["chat", "ok", true]);
    assert.ok(row.queue_ms! >= 300, `the wait for the start is the row's queue time (${row.queue_ms} ms)`);
  }, { start: false });
});

Deno.test("a chat waits for a free slot under max_concurrency, counted in the queue, and says so", async () => {
  await withSupervisedChat(LONG, async ({ rt, user, profile }) => {
    const supervisor = rt.deps.supervisor;
    const first = streamChat(rt, user, { profile_id: profile.id, messages: hello });
    await waitFor(() => supervisor.status(profile.id).in_flight === 1, "the first turn holds the slot");
    let queued = -1;
    const second = await streamChat(rt, user, { profile_id: profile.id, messages: hello }, (event) => {
      if (event.type === "waiting") queued = supervisor.status(profile.id).queued;
    });
    assert.deepEqual(second[0], {
      type: "waiting",
      reason: "queued",
      content: "Waiting for a free slot on Fake Qwen…",
    });
    assert.equal(queued, 1, "the waiting turn is in the profile's queue");
    assert.equal(text(await first), LONG.reply);
    assert.equal(text(second), LONG.reply);
  }, { profile: { max_concurrency: 1 } });
});
