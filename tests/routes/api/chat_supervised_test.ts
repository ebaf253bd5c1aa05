import assert from "node:assert/strict";
import type { ChatTargetInfo } from "../../../lib/chat/types.ts";
import { json } from "../../helpers/auth.ts";
import { chatEvents, withSupervisedChat } from "../../helpers/chat.ts";
import { waitFor } from "../../helpers/net.ts";
import { versionTest } from "../../helpers/versions.ts";

versionTest(
  "the chat reaches a profile's server through the supervisor: started by its Start button, and again by a message once stopped",
  async (version) => {
    await withSupervisedChat({ reasoning: "tags" }, async ({ rt, user, profile, records }) => {
      const targets = async () =>
        await (await rt.app.request("/api/chat/targets", { headers: user.headers }))
          .json() as ChatTargetInfo[];
      assert.deepEqual(await targets(), [{
        profile_id: profile.id,
        name: "Fake Qwen",
        model: profile.model_path,
        model_type: "lm",
        system_prompt: "You are terse.",
        state: "stopped",
      }]);

      // Started from the chat's own endpoint (the Chat page's Start button).
      const start = await rt.app.request(
        `/api/chat/targets/${profile.id}/start`,
        json("POST", {}, user.headers),
      );
      assert.equal(start.status, 202);
      assert.match((await start.json()).state, /^(starting|running)$/);
      await waitFor(async () => (await targets())[0].state === "running", "the server runs");

      const events = await chatEvents(rt, user, {
        profile_id: profile.id,
        messages: [{ role: "system", content: "You are terse." }, { role: "user", content: "hello" }],
      });
      const text = (type: string) =>
        events.filter((e) => e.type === type).map((e) => (e as { content: string }).content).join("");
      assert.equal(text("thinking"), "Let me think about this step by step.");
      assert.equal(text("response"), "You said: hello");
      assert.equal(events.at(-1)!.type, "done");
      const [request] = (await records()).filter((r) => r.event === "request");
      // 1.8 answers only to the name it was started under; 1.5 takes the model path as ever.
      assert.equal(
        (request.body as { model: string }).model,
        version === "1.5.1" ? profile.model_path : `profile-${profile.id}`,
      );

      const stop = await rt.app.request(`/api/servers/${profile.id}/stop`, json("POST", {}, user.headers));
      assert.equal(stop.status, 200);
      await stop.body?.cancel();
      await waitFor(async () => (await targets())[0].state === "stopped", "the server stopped");
      // A message to a stopped server starts it again, as a /v1 request would.
      const after = await chatEvents(rt, user, {
        profile_id: profile.id,
        messages: [{ role: "user", content: "hi" }],
      });
      assert.deepEqual(after.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]), [
        "waiting",
        "thinking",
        "thinking_done",
        "response",
        "metrics",
        "done",
      ]);
      assert.equal((await targets())[0].state, "running");

      const missing = await rt.app.request(
        "/api/chat/completions",
        json("POST", { profile_id: 999, messages: [{ role: "user", content: "x" }] }, user.headers),
      );
      assert.equal(missing.status, 404);
      assert.deepEqual(await missing.json(), { detail: "Profile not found", code: "not_found" });
    }, { start: false, version });
  },
);

// On 1.8 its model process dies and the server lives on: the manager ends it at the next sweep.
versionTest(
  "a server that crashes mid-answer under the supervisor gives one error event",
  async (version) => {
    await withSupervisedChat({ fail: "crash_mid_stream" }, async ({ rt, user, profile }) => {
      const events = await chatEvents(rt, user, {
        profile_id: profile.id,
        messages: [{ role: "user", content: "hello" }],
      });
      const errors = events.filter((e) => e.type === "error");
      assert.equal(errors.length, 1);
      assert.match((errors[0] as { content: string }).content, /stopped in the middle of the answer/);
      assert.equal(events.at(-1)!.type, "error");
    }, { version });
  },
);

Deno.test("POST /api/chat/targets/:id/start keeps the supervisor's code: 503 while the manager shuts down", async () => {
  await withSupervisedChat({}, async ({ rt, user, profile }) => {
    await rt.deps.supervisor.close({ stopServers: true });
    const start = await rt.app.request(
      `/api/chat/targets/${profile.id}/start`,
      json("POST", {}, user.headers),
    );
    assert.equal(start.status, 503);
    const body = await start.json();
    assert.equal(body.code, "unavailable");
    assert.match(body.detail ?? body.message ?? JSON.stringify(body), /shutting down/);
  });
});
