import assert from "node:assert/strict";
import type { ChatEvent, MessageMetrics } from "../../../lib/chat/types.ts";
import type { ActivityItem } from "../../../lib/gateway_types.ts";
import { json } from "../../helpers/auth.ts";
import { chatEvents, withSupervisedChat } from "../../helpers/chat.ts";
import { waitFor } from "../../helpers/net.ts";
import { listen, type TestRuntime } from "../../helpers/runtime.ts";
import { sseBlocks } from "../../helpers/sse.ts";
import type { TestUser } from "../../helpers/auth.ts";

async function activity(rt: TestRuntime, user: TestUser): Promise<ActivityItem[]> {
  const res = await rt.app.request("/api/activity", { headers: user.headers });
  assert.equal(res.status, 200);
  return (await res.json()).data;
}

const hello = [{ role: "user", content: "hello" }];

Deno.test("a chat-page request is recorded in the activity log with its user, profile, tokens and first-token time", async () => {
  await withSupervisedChat({ reply: "Hi there, friend." }, async ({ rt, user, profile }) => {
    const events = await chatEvents(rt, user, { profile_id: profile.id, messages: hello });
    assert.equal(events.at(-1)!.type, "done");
    const metrics = (events.find((e) => e.type === "metrics") as { metrics: MessageMetrics }).metrics;

    const [row] = await activity(rt, user);
    assert.ok(row, "one row");
    assert.match(row.id, /^req_/);
    assert.equal(row.endpoint, "chat");
    assert.equal(row.user_id, user.id);
    assert.equal(row.key_id, null);
    assert.equal(row.profile_id, profile.id);
    assert.equal(row.model, profile.name);
    assert.equal(row.stream, true);
    assert.equal(row.status, 200);
    assert.equal(row.outcome, "ok");
    assert.ok(row.completion_tokens! > 0);
    assert.equal(row.completion_tokens, metrics.completion_tokens, "the tokens the chat showed");
    assert.equal(row.prompt_tokens, metrics.prompt_tokens);
    assert.equal(row.tokens_estimated, false, "from the server's usage");
    assert.ok(row.ttft_ms !== null && row.ttft_ms >= 0);
    assert.equal(row.ttft_ms, metrics.ttft_ms);
    assert.ok(row.duration_ms >= row.ttft_ms!);
    assert.ok(Date.parse(row.created_at) <= Date.now());

    // The dashboard's last request of the profile is the chat's.
    const last = rt.deps.activity.lastPerProfile().find((r) => r.profile_id === profile.id);
    assert.equal(last?.id, row.id);
  });
});

Deno.test("chat-page requests stopped by the reader are recorded with their outcome", async () => {
  await withSupervisedChat(
    { reply: "word ".repeat(300), token_delay_ms: 20 },
    async ({ rt, user, profile, waitForRecord }) => {
      const server = listen(rt);
      try {
        const abort = new AbortController();
        const res = await fetch(`${server.url}/api/chat/completions`, {
          ...json("POST", { profile_id: profile.id, messages: hello }, user.headers),
          signal: abort.signal,
        });
        for await (const block of sseBlocks(res)) {
          if (block.data && (JSON.parse(block.data) as ChatEvent).type === "response") break;
        }
        abort.abort();
        await waitForRecord((r) => r.event === "client_closed");
        const [stopped] = await waitFor(async () => {
          const rows = await activity(rt, user);
          return rows.length === 1 && rows;
        }, "the stopped request's row");
        assert.equal(stopped.outcome, "client_closed");
        assert.equal(stopped.status, 499);
        assert.ok(stopped.completion_tokens! > 0, "what was streamed before the stop is counted");
        assert.equal(stopped.tokens_estimated, true, "counted, the server sent no usage");
      } finally {
        await server.stop();
      }
    },
  );
});

Deno.test("a chat-page request whose server cannot start is recorded as model_start_failed, with the cause in the chat", async () => {
  await withSupervisedChat({ fail: "model_not_found" }, async ({ rt, user, profile }) => {
    const events = await chatEvents(rt, user, { profile_id: profile.id, messages: hello, save: true });
    assert.deepEqual(events.map((e) => e.type), ["conversation", "waiting", "error"]);
    const error = (events[2] as { content: string }).content;
    assert.match(error, /^"Fake Qwen" could not start: /);
    const [row] = await activity(rt, user);
    assert.deepEqual([row.outcome, row.status, row.endpoint], ["model_start_failed", 503, "chat"]);
    assert.equal(row.completion_tokens, null);
    // The saved conversation keeps the question and why it was not answered.
    const saved = rt.deps.conversations.get(user.id, (events[0] as { id: number }).id).messages;
    assert.deepEqual(saved.map((m) => [m.role, m.error]), [["user", null], ["assistant", error]]);
  }, { start: false });
});

Deno.test("a chat-page request whose server crashes mid-answer is recorded as an upstream error", async () => {
  await withSupervisedChat({ fail: "crash_mid_stream" }, async ({ rt, user, profile }) => {
    const events = await chatEvents(rt, user, { profile_id: profile.id, messages: hello });
    assert.equal(events.at(-1)!.type, "error");
    const [row] = await activity(rt, user);
    assert.deepEqual([row.outcome, row.status, row.profile_id], ["upstream_error", 502, profile.id]);
  });
});
