import assert from "node:assert/strict";
import type { ChatEvent } from "../../../lib/chat/types.ts";
import type { ChatTarget } from "../../../services/chat/targets.ts";
import { StaticTargets } from "../../helpers/static_targets.ts";
import { listen, type TestRuntime, testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, json, type TestUser } from "../../helpers/auth.ts";
import { type FakeServer, startFakeServer } from "../../helpers/fake_server.ts";
import { freePort, waitFor } from "../../helpers/net.ts";
import { sseBlocks } from "../../helpers/sse.ts";

function target(fake: FakeServer | null, overrides: Partial<ChatTarget> = {}): ChatTarget {
  return {
    profileId: 1,
    name: "Fake Qwen",
    modelId: fake?.modelPath ?? "mlx-community/none",
    modelType: "lm",
    systemPrompt: "You are terse.",
    state: "running",
    baseUrl: fake?.url ?? `http://127.0.0.1:${freePort()}`,
    ...overrides,
  };
}

async function setup(targets: ChatTarget[], env: Record<string, string> = {}) {
  const rt = await testRuntime({ runtime: { chatTargets: new StaticTargets(targets) }, env });
  const { admin, user } = await adminAndUser(rt);
  return { rt, admin, user };
}

/** Posts a chat request and reads every event until the stream ends. */
async function chat(rt: TestRuntime, user: TestUser, body: Record<string, unknown>) {
  const res = await rt.app.request("/api/chat/completions", json("POST", body, user.headers));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
  const events: ChatEvent[] = [];
  for await (const block of sseBlocks(res)) {
    if (block.comment !== undefined) continue;
    assert.equal(block.event, undefined, "events are plain data lines");
    events.push(JSON.parse(block.data!));
  }
  const text = (type: string) =>
    events.filter((e) => e.type === type).map((e) => (e as { content: string }).content).join("");
  // Consecutive text events of one kind count once: how text is cut into events depends on timing.
  const types = events.map((e) => e.type).filter((t, i, all) =>
    !(t === all[i - 1] && (t === "response" || t === "thinking"))
  );
  return { events, types, response: text("response"), thinking: text("thinking") };
}

const HELLO = [{ role: "user", content: "hello there" }];

Deno.test("POST /api/chat/completions streams thinking, the answer, metrics and done", async () => {
  const fake = await startFakeServer({ FAKE_MLX_REASONING: "tags", FAKE_MLX_CHUNK_CHARS: "3" });
  const { rt, user } = await setup([target(fake)]);
  try {
    const got = await chat(rt, user, { profile_id: 1, messages: HELLO });
    assert.deepEqual(got.types, [
      "thinking",
      "thinking_done",
      "response",
      "metrics",
      "done",
    ]);
    assert.equal(got.thinking, "Let me think about this step by step.");
    assert.equal(got.response, "You said: hello there");
    const metrics = got.events.find((e) => e.type === "metrics") as Extract<ChatEvent, { type: "metrics" }>;
    assert.equal(metrics.model, fake.modelPath);
    assert.equal(metrics.profile_id, 1);
    assert.ok(metrics.metrics.ttft_ms !== null && metrics.metrics.ttft_ms >= 0);
    assert.ok(metrics.metrics.completion_tokens! > 0);
    assert.ok(metrics.metrics.prompt_tokens! > 0);
  } finally {
    await rt.close();
    await fake.stop();
  }
});

Deno.test("POST /api/chat/completions forwards sampling settings and object tool_choice, and maps developer to system", async () => {
  const fake = await startFakeServer();
  const { rt, user } = await setup([target(fake)]);
  try {
    const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }];
    const toolChoice = { type: "function", function: { name: "get_weather" } };
    const got = await chat(rt, user, {
      profile_id: 1,
      messages: [
        { role: "developer", content: "Be brief" },
        {
          role: "user",
          content: "hi",
          attachments: [{ kind: "text", name: "notes.txt", mime: "text/plain", data: "a" }],
        },
        { role: "assistant", content: "Hello", reasoning: "secret thoughts" },
        { role: "user", content: "again" },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 64,
      stop: ["END"],
      seed: 7,
      tools,
      tool_choice: toolChoice,
    });
    assert.equal(got.types.at(-1), "done");
    const [request] = (await fake.records()).filter((r) => r.event === "request");
    const body = request.body as Record<string, unknown>;
    assert.equal(body.model, fake.modelPath);
    assert.equal(body.stream, true);
    assert.deepEqual(
      [body.temperature, body.top_p, body.max_tokens, body.stop, body.seed],
      [0.2, 0.9, 64, ["END"], 7],
    );
    assert.deepEqual(body.tools, tools);
    assert.deepEqual(body.tool_choice, toolChoice);
    assert.deepEqual(body.messages, [
      { role: "system", content: "Be brief" },
      { role: "user", content: "hi\n\n[File: notes.txt]\na" },
      { role: "assistant", content: "Hello" },
      { role: "user", content: "again" },
    ]);
  } finally {
    await rt.close();
    await fake.stop();
  }
});

Deno.test("POST /api/chat/completions answers 404 for an unknown profile or someone else's conversation, 422 for bad input", async () => {
  const { rt, admin, user } = await setup([target(null)]);
  try {
    const post = (body: unknown, who = user) =>
      rt.app.request("/api/chat/completions", json("POST", body, who.headers));
    let res = await post({ profile_id: 99, messages: HELLO });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { detail: "Profile not found", code: "not_found" });
    const theirs = rt.deps.conversations.create(admin.id, { title: "Admin's" });
    res = await post({ profile_id: 1, messages: HELLO, conversation_id: theirs.id });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { detail: "Conversation not found", code: "not_found" });
    res = await post({ profile_id: 1, messages: [] });
    assert.equal(res.status, 422);
    assert.equal((await res.json()).fields.messages, "Send at least one message");
    res = await post({ profile_id: 1, messages: HELLO, temperature: 3 });
    assert.equal(res.status, 422);
    assert.equal((await res.json()).fields.temperature, "temperature must be between 0 and 2");
    res = await post({ profile_id: 1, messages: [{ role: "robot", content: "x" }] });
    assert.equal(res.status, 422);
    assert.match((await res.json()).detail, /Role must be system, developer, user, assistant or tool/);
  } finally {
    await rt.close();
  }
});

Deno.test("POST /api/chat/completions sends exactly one error event when the server is stopped, refuses, stalls or crashes", async () => {
  const crashing = await startFakeServer({ FAKE_MLX_FAIL: "crash_mid_stream" });
  const stalling = await startFakeServer({ FAKE_MLX_TOKEN_DELAY_MS: "5000" });
  const { rt, user } = await setup([
    target(null, { profileId: 1, state: "stopped", baseUrl: null }),
    target(null, { profileId: 2, state: "running" }),
    target(crashing, { profileId: 3 }),
    target(null, { profileId: 4, state: "starting", baseUrl: null }),
    target(stalling, { profileId: 5 }),
  ], { MLX_MANAGER_CHAT_TIMEOUT: "0.5" });
  try {
    const expected: [number, RegExp][] = [
      [1, /^Fake Qwen is not running: start it, then send again$/],
      [
        2,
        /^Failed to connect to the MLX server at 127\.0\.0\.1:\d+: it is not running or is still loading \(Connection refused\)$/,
      ],
      [3, /^The model server stopped in the middle of the answer: it may have crashed/],
      [4, /^Fake Qwen is still loading its model/],
      [5, /^Request timed out: the model server sent nothing for 0\.5 s/],
    ];
    for (const [profile, message] of expected) {
      const got = await chat(rt, user, { profile_id: profile, messages: HELLO });
      const errors = got.events.filter((e) => e.type === "error") as { content: string }[];
      assert.equal(errors.length, 1, `profile ${profile}: ${JSON.stringify(got.events)}`);
      assert.match(errors[0].content, message);
      assert.equal(got.types.at(-1), "error", "nothing follows the error");
      assert.ok(!got.types.includes("done"));
    }
  } finally {
    await rt.close();
    await crashing.stop();
    await stalling.stop();
  }
});

Deno.test("POST /api/chat/completions relays an in-stream error as one error event and saves the partial answer", async () => {
  const fake = await startFakeServer({ FAKE_MLX_STREAM_ERROR: "1" });
  const { rt, user } = await setup([target(fake)]);
  try {
    const got = await chat(rt, user, { profile_id: 1, messages: HELLO, save: true });
    assert.deepEqual(got.types, ["conversation", "response", "metrics", "error"]);
    const id = (got.events[0] as { id: number }).id;
    const saved = rt.deps.conversations.get(user.id, id);
    assert.deepEqual(saved.messages.map((m) => [m.role, m.content]), [["user", "hello there"], [
      "assistant",
      "You ",
    ]]);
    assert.match(saved.messages[1].error!, /simulated failure/);
  } finally {
    await rt.close();
    await fake.stop();
  }
});

Deno.test("closing the browser's connection aborts the upstream request and saves what was said", async () => {
  const fake = await startFakeServer({ FAKE_MLX_TOKEN_DELAY_MS: "30", FAKE_MLX_REPLY: "word ".repeat(300) });
  const { rt, user } = await setup([target(fake)]);
  const server = listen(rt);
  try {
    const abort = new AbortController();
    const res = await fetch(`${server.url}/api/chat/completions`, {
      ...json("POST", { profile_id: 1, messages: HELLO, save: true }, user.headers),
      signal: abort.signal,
    });
    let id = 0;
    for await (const block of sseBlocks(res)) {
      if (!block.data) continue;
      const event = JSON.parse(block.data) as ChatEvent;
      if (event.type === "conversation") id = event.id;
      if (event.type === "response") break;
    }
    abort.abort();
    await fake.waitForRecord((r) => r.event === "client_closed");
    // The partial answer is saved, marked as stopped.
    let answer;
    for (let i = 0; i < 100 && !answer; i++) {
      answer = rt.deps.conversations.get(user.id, id).messages.find((m) => m.role === "assistant");
      if (!answer) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(answer, "the stopped answer was saved");
    assert.ok(answer.content.startsWith("word"));
    assert.ok(answer.content.length < 1500);
    assert.equal(answer.metrics?.stopped, true);
  } finally {
    await server.stop();
    await rt.close();
    await fake.stop();
  }
});

Deno.test("the tool loop runs the built-in tool, feeds its result back and saves every step", async () => {
  const fake = await startFakeServer({
    FAKE_MLX_TOOL_CALL: "1",
    FAKE_MLX_TOOL_ARGS: '{"location": "Tokyo, Japan"}',
    FAKE_MLX_REPLY: "It is mild in Tokyo.",
  });
  const { rt, user } = await setup([target(fake)]);
  try {
    const tools = await (await rt.app.request("/api/mcp/tools", { headers: user.headers })).json();
    const got = await chat(rt, user, { profile_id: 1, messages: HELLO, tools, run_tools: true, save: true });
    assert.deepEqual(got.types, [
      "conversation",
      "tool_call",
      "tool_calls_done",
      "metrics",
      "tool_result",
      "response",
      "metrics",
      "done",
    ]);
    const call = (got.events.find((e) => e.type === "tool_call") as Extract<ChatEvent, { type: "tool_call" }>)
      .tool_call;
    const result = got.events.find((e) => e.type === "tool_result") as Extract<
      ChatEvent,
      { type: "tool_result" }
    >;
    assert.equal(result.tool_call_id, call.id);
    assert.equal(result.name, "get_weather");
    const weather = JSON.parse(result.content);
    assert.equal(weather.location, "Tokyo, Japan");
    assert.equal(got.response, "It is mild in Tokyo.");

    // The second request carried the call and its result.
    const requests = (await fake.records()).filter((r) => r.event === "request");
    assert.equal(requests.length, 2);
    const followUp = (requests[1].body as { messages: Record<string, unknown>[] }).messages;
    assert.deepEqual(followUp.slice(-2), [
      { role: "assistant", content: "", tool_calls: [call] },
      { role: "tool", tool_call_id: call.id, name: "get_weather", content: result.content },
    ]);

    // The conversation keeps the call, the result and the final answer.
    const id = (got.events[0] as { id: number }).id;
    const saved = rt.deps.conversations.get(user.id, id).messages;
    assert.deepEqual(saved.map((m) => m.role), ["user", "assistant", "tool", "assistant"]);
    assert.deepEqual(saved[1].tool_calls, [call]);
    assert.equal(saved[2].content, result.content);
    assert.equal(saved[3].content, "It is mild in Tokyo.");
  } finally {
    await rt.close();
    await fake.stop();
  }
});

Deno.test("the tool loop stops at the configured number of rounds; without run_tools the calls are reported as not run", async () => {
  const fake = await startFakeServer({ FAKE_MLX_TOOL_CALL: "1" });
  const { rt, user } = await setup([target(fake)], { MLX_MANAGER_CHAT_MAX_TOOL_ROUNDS: "0" });
  try {
    const tools = [{ type: "function", function: { name: "get_weather" } }];
    const limited = await chat(rt, user, { profile_id: 1, messages: HELLO, tools, run_tools: true });
    assert.deepEqual(limited.types, ["tool_call", "tool_calls_done", "metrics", "tool_limit", "done"]);
    const reported = await chat(rt, user, { profile_id: 1, messages: HELLO, tools });
    assert.deepEqual(reported.types, [
      "tool_call",
      "tool_calls_done",
      "metrics",
      "tool_calls_not_run",
      "done",
    ]);
    assert.deepEqual(reported.events.find((e) => e.type === "tool_calls_not_run"), {
      type: "tool_calls_not_run",
      reason: "tools_off",
      names: ["get_weather"],
    });
    assert.equal(
      (await fake.records()).filter((r) => r.event === "request").length,
      2,
      "no follow-up requests",
    );
  } finally {
    await rt.close();
    await fake.stop();
  }
});

Deno.test("a call to a tool no one offered is not run: the turn says which, and asks the model nothing more", async () => {
  const fake = await startFakeServer({ FAKE_MLX_TOOL_CALL: "1", FAKE_MLX_TOOL_NAME: "search_web" });
  const { rt, user } = await setup([target(fake)]);
  try {
    const tools = await (await rt.app.request("/api/mcp/tools", { headers: user.headers })).json();
    const got = await chat(rt, user, { profile_id: 1, messages: HELLO, tools, run_tools: true, save: true });
    assert.deepEqual(got.types, [
      "conversation",
      "tool_call",
      "tool_calls_done",
      "metrics",
      "tool_calls_not_run",
      "done",
    ]);
    const notRun = got.events.find((e) => e.type === "tool_calls_not_run");
    assert.deepEqual(notRun, { type: "tool_calls_not_run", reason: "unavailable", names: ["search_web"] });
    assert.equal((await fake.records()).filter((r) => r.event === "request").length, 1, "no follow-up");
    const id = (got.events[0] as { id: number }).id;
    const saved = rt.deps.conversations.get(user.id, id).messages;
    assert.deepEqual(saved.map((m) => m.role), ["user", "assistant"], "no tool result was made up");
    assert.equal(saved[1].tool_calls?.[0].function.name, "search_web");
  } finally {
    await rt.close();
    await fake.stop();
  }
});

Deno.test("saved turns: a new conversation, a follow-up, and a regenerate that replaces the last answer", async () => {
  const fake = await startFakeServer({ FAKE_MLX_REASONING: "tags" });
  const { rt, user } = await setup([target(fake)]);
  try {
    const system = { role: "system", content: "You are terse." };
    const first = await chat(rt, user, { profile_id: 1, messages: [system, ...HELLO], save: true });
    const created = first.events[0] as Extract<ChatEvent, { type: "conversation" }>;
    assert.equal(created.title, "hello there");
    const id = created.id;
    let saved = rt.deps.conversations.get(user.id, id);
    assert.equal(saved.system_prompt, "You are terse.");
    assert.equal(saved.profile_name, "Fake Qwen");
    assert.equal(saved.messages[1].reasoning, "Let me think about this step by step.");
    assert.ok(saved.messages[1].reasoning_duration !== null);
    assert.ok(saved.messages[1].metrics!.completion_tokens! > 0);

    const history = [system, ...HELLO, { role: "assistant", content: first.response }];
    await chat(rt, user, {
      profile_id: 1,
      conversation_id: id,
      messages: [...history, { role: "user", content: "and again" }],
    });
    saved = rt.deps.conversations.get(user.id, id);
    assert.deepEqual(saved.messages.map((m) => m.content), [
      "hello there",
      "You said: hello there",
      "and again",
      "You said: and again",
    ]);
    const keptId = saved.messages[1].id;

    // Regenerate: the history ends at the last user message again; the old answer is replaced.
    await chat(rt, user, {
      profile_id: 1,
      conversation_id: id,
      messages: [...history, { role: "user", content: "and again" }],
    });
    saved = rt.deps.conversations.get(user.id, id);
    assert.equal(saved.messages.length, 4);
    assert.equal(saved.messages[1].id, keptId, "earlier messages are kept as saved");
    assert.equal(saved.messages[3].role, "assistant");
  } finally {
    await rt.close();
    await fake.stop();
  }
});

Deno.test("GET /api/chat/targets lists profiles without their addresses", async () => {
  const { rt, user } = await setup([
    target(null),
    target(null, { profileId: 2, name: "Another", state: "stopped" }),
  ]);
  try {
    const res = await rt.app.request("/api/chat/targets", { headers: user.headers });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), [
      {
        profile_id: 2,
        name: "Another",
        model: "mlx-community/none",
        model_type: "lm",
        system_prompt: "You are terse.",
        state: "stopped",
      },
      {
        profile_id: 1,
        name: "Fake Qwen",
        model: "mlx-community/none",
        model_type: "lm",
        system_prompt: "You are terse.",
        state: "running",
      },
    ]);
    const start = await rt.app.request("/api/chat/targets/9/start", json("POST", {}, user.headers));
    assert.equal(start.status, 404);
    await start.body?.cancel();
  } finally {
    await rt.close();
  }
});

Deno.test("attachments travel with their turn on every later request: images as image_url parts for multimodal models", async () => {
  const fake = await startFakeServer();
  const image = "data:image/png;base64,iVBORw0KGgo=";
  const { rt, user } = await setup([
    // No default system prompt: the first message sent is the user's own.
    target(fake, { profileId: 1, modelType: "multimodal", systemPrompt: null }),
    target(fake, { profileId: 2, modelType: "lm", name: "Text only", systemPrompt: null }),
  ]);
  try {
    const first = {
      role: "user",
      content: "what is in these?",
      attachments: [
        { kind: "image", name: "cat.png", mime: "image/png", data: image },
        { kind: "text", name: "notes.md", mime: "text/markdown", data: "# Notes" },
      ],
    };
    const turn1 = await chat(rt, user, { profile_id: 1, messages: [first], save: true });
    const id = (turn1.events[0] as { id: number }).id;
    const history = [first, { role: "assistant", content: turn1.response }, {
      role: "user",
      content: "and now?",
    }];
    await chat(rt, user, { profile_id: 1, messages: history, conversation_id: id });
    await chat(rt, user, { profile_id: 2, messages: history, conversation_id: id });
    const [, second, third] = (await fake.records()).filter((r) => r.event === "request")
      .map((r) => (r.body as { messages: { content: unknown }[] }).messages);
    assert.deepEqual(second[0].content, [
      { type: "text", text: "what is in these?" },
      { type: "image_url", image_url: { url: image } },
      { type: "text", text: "[File: notes.md]\n# Notes" },
    ]);
    assert.equal(
      third[0].content,
      "what is in these?\n\n[Image cat.png left out: this model reads text only]\n\n[File: notes.md]\n# Notes",
    );
    const saved = rt.deps.conversations.get(user.id, id);
    assert.deepEqual(saved.messages[0].attachments!.map((a) => a.name), ["cat.png", "notes.md"]);
    assert.equal(saved.profile_name, "Text only");

    const bad = await rt.app.request(
      "/api/chat/completions",
      json("POST", {
        profile_id: 1,
        messages: [{
          role: "user",
          content: "x",
          attachments: [{ kind: "image", name: "a.png", mime: "image/png", data: "javascript:alert(1)" }],
        }],
      }, user.headers),
    );
    assert.equal(bad.status, 422);
    assert.equal(
      (await bad.json()).fields["messages.0.attachments.0.data"],
      "Images must be sent as base64 data URLs",
    );
  } finally {
    await rt.close();
    await fake.stop();
  }
});

Deno.test("pressing Stop after a minute of streaming closes the upstream request within a second", async () => {
  // 25 000 chunks at 5 ms: the answer is still streaming when Stop is pressed.
  const fake = await startFakeServer({
    FAKE_MLX_TOKEN_DELAY_MS: "5",
    FAKE_MLX_REPLY: "word ".repeat(20_000),
  });
  const { rt, user } = await setup([target(fake)]);
  const server = listen(rt);
  const active = async () => {
    const res = await fetch(`${fake.url}/v1/queue/stats`);
    const body = await res.json() as { queue_stats: { queue_stats: { active_requests: number } } };
    return body.queue_stats.queue_stats.active_requests;
  };
  try {
    const stop = new AbortController();
    const res = await fetch(`${server.url}/api/chat/completions`, {
      ...json("POST", { profile_id: 1, messages: HELLO }, user.headers),
      signal: stop.signal,
    });
    let chars = 0;
    const until = Date.now() + 60_000;
    for await (const block of sseBlocks(res)) {
      if (!block.data) continue;
      const event = JSON.parse(block.data) as ChatEvent;
      assert.notEqual(event.type, "done", "the answer outlasts the minute");
      if (event.type === "response") chars += event.content.length;
      if (Date.now() >= until) break;
    }
    assert.ok(chars > 1000, `text kept arriving for the minute (${chars} characters)`);
    assert.equal(await active(), 1);
    stop.abort();
    await fake.waitForRecord((r) => r.event === "client_closed", 1000);
    await waitFor(async () => (await active()) === 0, "the fake's request ended", 1000);
  } finally {
    await server.stop();
    await rt.close();
    await fake.stop();
  }
});
