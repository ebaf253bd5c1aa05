import assert from "node:assert/strict";
import type { ChatTargetInfo, Conversation } from "../../../lib/chat/types.ts";
import { uiMessage } from "../../../lib/chat/client.ts";
import { applyEvent, startTurn } from "../../../lib/chat/turn.ts";
import {
  chatRequest,
  type ChatState,
  currentTarget,
  endTurn,
  initialChat,
  lastUsedProfile,
  pickProfile,
  reduceChat,
} from "../../../lib/chat/controller.ts";

function target(profileId: number, state: string, systemPrompt: string | null = null): ChatTargetInfo {
  return {
    profile_id: profileId,
    name: `P${profileId}`,
    model: `org/model-${profileId}`,
    model_type: "lm",
    system_prompt: systemPrompt,
    state,
  };
}

const TARGETS = [target(1, "stopped", "You are one"), target(2, "running", "You are two")];

function conversation(fields: Partial<Conversation> = {}): Conversation {
  return {
    id: 7,
    title: "Saved",
    profile_id: 1,
    profile_name: "P1",
    model: "org/model-1",
    message_count: 1,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    system_prompt: "Saved prompt",
    messages: [
      {
        role: "user",
        content: "hello",
        reasoning: null,
        reasoning_duration: null,
        tool_calls: null,
        tool_call_id: null,
        name: null,
        attachments: null,
        metrics: null,
        error: null,
        model: null,
      } as unknown as Conversation["messages"][number],
    ],
    ...fields,
  };
}

function fresh(fields: Partial<Parameters<typeof initialChat>[0]> = {}): ChatState {
  return initialChat({ targets: TARGETS, conversation: null, profileId: null, notice: null, ...fields });
}

Deno.test("pickProfile() takes the asked profile when listed, else the first running one, else the first", () => {
  assert.equal(pickProfile(TARGETS, 1), 1);
  assert.equal(pickProfile(TARGETS, 9), 2);
  assert.equal(pickProfile(TARGETS, null), 2);
  assert.equal(pickProfile([target(3, "stopped"), target(5, "stopped")], null), 3);
  assert.equal(pickProfile([], 1), null);
});

Deno.test("pickProfile() defaults to the last one used, else a running one, and never to a failed one", () => {
  assert.equal(pickProfile(TARGETS, null, 1), 1, "the last one used, though stopped, before a running one");
  assert.equal(pickProfile(TARGETS, null, 9), 2, "a last one that is gone does not count");
  const failedFirst = [target(3, "failed"), target(4, "crashed"), target(5, "stopped")];
  assert.equal(pickProfile(failedFirst, null), 5, "the stopped one, not the failed one listed first");
  assert.equal(pickProfile(failedFirst, null, 3), 5, "not even when it was the last one used");
  assert.equal(pickProfile([target(3, "failed"), target(4, "crashed")], null), null);
  assert.equal(pickProfile([target(3, "failed")], 3), 3, "asked for by name, a failed one is shown");
  assert.equal(
    pickProfile([target(3, "stopped"), target(4, "starting")], null),
    4,
    "starting before stopped",
  );
});

Deno.test("lastUsedProfile() is the server of the newest conversation that has one", () => {
  assert.equal(lastUsedProfile([conversation({ profile_id: null }), conversation({ profile_id: 2 })]), 2);
  assert.equal(lastUsedProfile([]), null);
  assert.equal(lastUsedProfile(undefined), null);
});

Deno.test("initialChat() opens on the server of the last conversation", () => {
  const state = fresh({ conversations: [conversation({ profile_id: 1 })] });
  assert.equal(state.profileId, 1);
  assert.equal(state.settings.systemPrompt, "You are one");
  assert.equal(state.conversationId, null, "a new conversation, on the last one's server");
});

Deno.test("reduceChat() on targets_loaded picks a server once there is one, and keeps a listed pick", () => {
  const none = initialChat({
    targets: [target(3, "failed")],
    conversation: null,
    profileId: null,
    notice: null,
  });
  assert.equal(none.profileId, null, "a failed server is not the default");
  const fixed = reduceChat(none, { type: "targets_loaded", targets: [target(3, "running", "Three")] });
  assert.equal(fixed.profileId, 3);
  assert.equal(fixed.settings.systemPrompt, "Three");
  const kept = reduceChat(fresh(), { type: "targets_loaded", targets: [...TARGETS, target(0, "running")] });
  assert.equal(kept.profileId, 2);
  const gone = reduceChat(fresh(), {
    type: "targets_loaded",
    targets: [target(1, "stopped", "You are one")],
  });
  assert.equal(gone.profileId, 1, "the picked one vanished: another is picked");
});

Deno.test("initialChat() starts from the running server's prompt, or from the opened conversation", () => {
  const empty = fresh({ notice: "Cannot open that conversation" });
  assert.equal(empty.profileId, 2);
  assert.equal(empty.settings.systemPrompt, "You are two");
  assert.equal(empty.settings.temperature, "");
  assert.equal(empty.conversationId, null);
  assert.equal(empty.banner, "Cannot open that conversation");
  assert.equal(empty.busy, false);

  const opened = fresh({ conversation: conversation(), profileId: 2 });
  assert.equal(opened.profileId, 1, "the conversation's profile wins over ?profile=");
  assert.equal(opened.conversationId, 7);
  assert.equal(opened.settings.systemPrompt, "Saved prompt");
  assert.deepEqual(opened.messages.map((m) => [m.role, m.content]), [["user", "hello"]]);
});

Deno.test("reduceChat() takes the new server's prompt on profile_selected only while the transcript is empty", () => {
  const empty = reduceChat(fresh(), { type: "profile_selected", profileId: 1 });
  assert.equal(currentTarget(empty)?.name, "P1");
  assert.equal(empty.settings.systemPrompt, "You are one");

  const begun = reduceChat(fresh({ conversation: conversation() }), {
    type: "profile_selected",
    profileId: 2,
  });
  assert.equal(begun.profileId, 2);
  assert.equal(begun.settings.systemPrompt, "Saved prompt");
});

Deno.test("reduceChat() shows the settings with the problem on rejected, and clears it when a turn starts", () => {
  const rejected = reduceChat(fresh(), {
    type: "rejected",
    problem: "temperature must be a number from 0 to 2",
  });
  assert.equal(rejected.banner, "temperature must be a number from 0 to 2");
  assert.equal(rejected.showSettings, true);
  const messages = [uiMessage("user", { content: "hi" })];
  const started = reduceChat(rejected, { type: "turn_started", messages });
  assert.equal(started.banner, null);
  assert.equal(started.busy, true);
  assert.equal(started.messages, messages);
  assert.equal(started.showSettings, true, "the settings stay open");
});

Deno.test("reduceChat() on turn_ended keeps the shown transcript when the turn was left", () => {
  const other = [uiMessage("user", { content: "other" })];
  const busy = reduceChat(fresh(), { type: "turn_started", messages: other });
  const left = reduceChat(busy, { type: "turn_ended", messages: null });
  assert.equal(left.busy, false);
  assert.equal(left.messages, other);
  const mine = [uiMessage("user", { content: "mine" })];
  assert.equal(reduceChat(busy, { type: "turn_ended", messages: mine }).messages, mine);
});

Deno.test("reduceChat() on opened switches to a listed profile and the conversation's prompt", () => {
  const state = reduceChat({ ...fresh(), banner: "old" }, { type: "opened", conversation: conversation() });
  assert.equal(state.profileId, 1);
  assert.equal(state.conversationId, 7);
  assert.equal(state.settings.systemPrompt, "Saved prompt");
  assert.equal(state.banner, null);
  const unlisted = reduceChat(fresh(), { type: "opened", conversation: conversation({ profile_id: 99 }) });
  assert.equal(unlisted.profileId, 2, "a profile that is gone leaves the pick as it was");
  const noPrompt = reduceChat(fresh(), {
    type: "opened",
    conversation: conversation({ system_prompt: null }),
  });
  assert.equal(noPrompt.settings.systemPrompt, "");
});

Deno.test("reduceChat() on cleared empties the transcript and takes the server's prompt", () => {
  const opened = reduceChat(fresh(), { type: "opened", conversation: conversation() });
  const settings = { ...opened.settings, temperature: "0.5" };
  const cleared = reduceChat(reduceChat(opened, { type: "settings_changed", settings }), { type: "cleared" });
  assert.equal(cleared.conversationId, null);
  assert.deepEqual(cleared.messages, []);
  assert.equal(cleared.settings.systemPrompt, "You are one");
  assert.equal(cleared.settings.temperature, "0.5", "sampling settings outlive the conversation");
});

Deno.test("reduceChat() toggles the settings panel, or sets it open", () => {
  const open = reduceChat(fresh(), { type: "settings_toggled" });
  assert.equal(open.showSettings, true);
  assert.equal(reduceChat(open, { type: "settings_toggled" }).showSettings, false);
  assert.equal(reduceChat(open, { type: "settings_toggled", open: true }).showSettings, true);
});

Deno.test("chatRequest() builds the body with sampling, conversation, tools and MCP servers", () => {
  const history = [uiMessage("user", { content: "hi" })];
  const state = reduceChat(
    { ...fresh(), conversationId: 7 },
    {
      type: "settings_changed",
      settings: { ...fresh().settings, temperature: "0.7", stop: "END", tools: true },
    },
  );
  const tools = [{ type: "function", function: { name: "calculate" } }];
  assert.deepEqual(chatRequest(state, history, { tools, mcpServers: [4] }), {
    profile_id: 2,
    messages: [{ role: "system", content: "You are two" }, { role: "user", content: "hi" }],
    temperature: 0.7,
    stop: ["END"],
    save: true,
    conversation_id: 7,
    tools,
    run_tools: true,
    mcp_servers: [4],
  });
  assert.deepEqual(chatRequest(fresh(), history, { tools, mcpServers: [] }), {
    profile_id: 2,
    messages: [{ role: "system", content: "You are two" }, { role: "user", content: "hi" }],
    save: true,
  });
});

Deno.test("chatRequest() returns the settings' problem, or null without a server", () => {
  const bad = reduceChat(fresh(), {
    type: "settings_changed",
    settings: { ...fresh().settings, seed: "1.5" },
  });
  assert.equal(
    chatRequest(bad, [], { tools: [], mcpServers: [] }),
    "seed must be a whole number from 0 to 2147483648",
  );
  const none = initialChat({ targets: [], conversation: null, profileId: null, notice: null });
  assert.equal(chatRequest(none, [], { tools: [], mcpServers: [] }), null);
});

Deno.test("endTurn() marks a stream that ended early as lost, an abort as stopped, an error with its message", () => {
  const lost = startTurn([], "m");
  applyEvent(lost, { type: "response", content: "Par" });
  endTurn(lost);
  assert.equal(lost.current.streaming, false);
  assert.equal(lost.current.error, "The answer ended unexpectedly: the connection to MLX Manager was lost");

  const done = startTurn([], "m");
  applyEvent(done, { type: "done" });
  endTurn(done);
  assert.equal(done.current.error, null);

  const stopped = startTurn([], "m");
  endTurn(stopped, new DOMException("The user aborted", "AbortError"));
  assert.equal(stopped.current.metrics?.stopped, true);
  assert.equal(stopped.current.error, null);

  const failed = startTurn([], "m");
  endTurn(failed, new Error("Profile not found"));
  assert.equal(failed.current.streaming, false);
  assert.equal(failed.current.error, "Profile not found");
});
