import assert from "node:assert/strict";
import { json, type TestUser } from "../../helpers/auth.ts";
import { chatEvents, withSupervisedChat } from "../../helpers/chat.ts";
import type { TestRuntime } from "../../helpers/runtime.ts";

async function chat(rt: TestRuntime, user: TestUser, body: Record<string, unknown>): Promise<string[]> {
  return (await chatEvents(rt, user, body)).map((e) => e.type);
}

interface Sent {
  messages: { role: string; content: unknown }[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
}

Deno.test("the chat proxy fills what a conversation leaves unset from the profile's default sampling and system prompt", async () => {
  await withSupervisedChat({}, async ({ rt, user, profile, records }) => {
    const sent = async () =>
      (await records()).filter((r) => r.event === "request").map((r) => r.body as Sent).at(-1)!;

    // Nothing set: every default goes upstream, and the system prompt comes first.
    assert.equal(
      (await chat(rt, user, { profile_id: profile.id, messages: [{ role: "user", content: "hello" }] })).at(
        -1,
      ),
      "done",
    );
    let body = await sent();
    assert.equal(body.temperature, 0.3);
    assert.equal(body.top_p, 0.85);
    assert.equal(body.max_tokens, 64);
    assert.deepEqual(body.messages.map((m) => [m.role, m.content]), [
      ["system", "You are terse."],
      ["user", "hello"],
    ]);

    // What the conversation sets wins, its own system message included.
    await chat(rt, user, {
      profile_id: profile.id,
      temperature: 1.2,
      max_tokens: 10,
      messages: [{ role: "system", content: "Answer in French." }, { role: "user", content: "hi" }],
    });
    body = await sent();
    assert.equal(body.temperature, 1.2);
    assert.equal(body.top_p, 0.85);
    assert.equal(body.max_tokens, 10);
    assert.deepEqual(body.messages.map((m) => [m.role, m.content]), [
      ["system", "Answer in French."],
      ["user", "hi"],
    ]);

    // Cleared defaults send nothing of their own.
    const cleared = await rt.app.request(
      `/api/profiles/${profile.id}`,
      json("PUT", { temperature: null, top_p: null, max_tokens: null, system_prompt: null }, user.headers),
    );
    assert.equal(cleared.status, 200, await cleared.clone().text());
    await cleared.body?.cancel();
    await chat(rt, user, { profile_id: profile.id, messages: [{ role: "user", content: "bare" }] });
    body = await sent();
    assert.equal(body.temperature, undefined);
    assert.equal(body.top_p, undefined);
    assert.equal(body.max_tokens, undefined);
    assert.deepEqual(body.messages.map((m) => m.role), ["user"]);
  }, { profile: { temperature: 0.3, top_p: 0.85, max_tokens: 64 } });
});

Deno.test("profile sampling fields are checked by label and stored", async () => {
  await withSupervisedChat({}, async ({ rt, user, profile }) => {
    const put = (body: Record<string, unknown>) =>
      rt.app.request(`/api/profiles/${profile.id}`, json("PUT", body, user.headers));
    for (
      const [body, message] of [
        [{ temperature: 2.5 }, "Default temperature must be a number from 0 to 2"],
        [{ temperature: -0.1 }, "Default temperature must be a number from 0 to 2"],
        [{ top_p: 0 }, "Default top_p must be a number above 0 up to 1"],
        [{ top_p: 1.5 }, "Default top_p must be a number above 0 up to 1"],
        [{ max_tokens: 0.5 }, "Default max tokens must be a whole number from 1 to 10000000"],
        [{ temperature: "hot" }, "Default temperature must be a number from 0 to 2"],
      ] as const
    ) {
      const res = await put(body);
      assert.equal(res.status, 422, JSON.stringify(body));
      const answer = await res.json();
      assert.equal(Object.values(answer.fields ?? {})[0], message, JSON.stringify(answer));
    }
    const ok = await put({ temperature: 0.75, top_p: 1, max_tokens: 2048 });
    assert.equal(ok.status, 200);
    const saved = await ok.json();
    assert.deepEqual([saved.temperature, saved.top_p, saved.max_tokens], [0.75, 1, 2048]);
    assert.deepEqual(
      [rt.deps.profiles.get(profile.id).temperature, rt.deps.profiles.get(profile.id).top_p],
      [0.75, 1],
    );
  }, { start: false });
});
