import assert from "node:assert/strict";
import type { Conversation, ConversationSummary } from "../../../lib/chat/types.ts";
import { type TestRuntime, testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, json, type TestUser } from "../../helpers/auth.ts";

/** A saved conversation with a user question, an answer with reasoning and a tool step. */
function seed(rt: TestRuntime, user: TestUser, title: string, question: string): number {
  const { conversations } = rt.deps;
  const c = conversations.create(user.id, { title });
  conversations.syncHistory(user.id, c.id, [{
    role: "user",
    content: question,
    attachments: [{ kind: "text", name: "notes.txt", mime: "text/plain", data: "packing list" }],
  }], {
    systemPrompt: "Be helpful.",
    profileId: 3,
    profileName: "Qwen 8B",
    model: "mlx-community/Qwen3-8B-4bit",
  });
  conversations.append(user.id, c.id, {
    role: "assistant",
    content: "",
    reasoning: "Check the weather first.",
    reasoning_duration: 1.5,
    tool_calls: [{
      index: 0,
      id: "call_1",
      type: "function",
      function: { name: "get_weather", arguments: '{"location":"Oslo"}' },
    }],
    metrics: {
      ttft_ms: 120,
      tokens_per_second: 42.5,
      prompt_tokens: 30,
      completion_tokens: 12,
      total_tokens: 42,
      duration_ms: 400,
    },
    model: "mlx-community/Qwen3-8B-4bit",
  });
  conversations.append(user.id, c.id, {
    role: "tool",
    content: '{"temperature":12}',
    tool_call_id: "call_1",
    name: "get_weather",
  });
  conversations.append(user.id, c.id, {
    role: "assistant",
    content: `Bring a coat for ${title}. <script>x</script>`,
  });
  return c.id;
}

async function setup() {
  const rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  return { rt, admin, user };
}

Deno.test("GET /api/conversations lists only the caller's conversations, newest activity first", async () => {
  const { rt, admin, user } = await setup();
  try {
    const a = seed(rt, user, "Oslo trip", "What should I pack for Oslo?");
    const b = seed(rt, user, "Lima trip", "And for Lima?");
    seed(rt, admin, "Admin's trip", "Private question");
    const setUpdated = rt.db.prepare("UPDATE conversations SET updated_at = ? WHERE id = ?");
    setUpdated.run("2024-01-01T00:00:00.000Z", a);
    setUpdated.run("2024-01-02T00:00:00.000Z", b);
    rt.deps.conversations.update(user.id, a, { title: "Oslo trip in May" }); // bumps its activity
    const res = await rt.app.request("/api/conversations", { headers: user.headers });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /application\/json/);
    const list = await res.json() as ConversationSummary[];
    assert.deepEqual(list.map((c) => [c.id, c.title, c.message_count]), [[a, "Oslo trip in May", 4], [
      b,
      "Lima trip",
      4,
    ]]);
    assert.equal(list[0].profile_name, "Qwen 8B");
    assert.equal(list[0].model, "mlx-community/Qwen3-8B-4bit");
  } finally {
    await rt.close();
  }
});

Deno.test("GET /api/conversations?q= finds text in titles and messages, case-insensitively, with a snippet", async () => {
  const { rt, admin, user } = await setup();
  try {
    const oslo = seed(rt, user, "Oslo trip", "What should I pack for a rainy week in Oslo?");
    const lima = seed(rt, user, "Lima trip", "Is Lima humid in %summer_?");
    seed(rt, admin, "Rainy admin", "Rainy day plans");
    const search = async (q: string) => {
      const res = await rt.app.request(`/api/conversations?q=${encodeURIComponent(q)}`, {
        headers: user.headers,
      });
      assert.equal(res.status, 200);
      return await res.json() as ConversationSummary[];
    };
    const rainy = await search("RAINY week");
    assert.deepEqual(rainy.map((c) => c.id), [oslo]);
    assert.equal(rainy[0].snippet, "What should I pack for a rainy week in Oslo?");
    assert.deepEqual((await search("lima")).map((c) => c.id), [lima], "title and message hits appear once");
    assert.deepEqual((await search("coat")).map((c) => c.id).sort(), [oslo, lima].sort());
    assert.deepEqual(
      (await search("%s")).map((c) => c.id),
      [lima],
      "LIKE wildcards are literal (short query)",
    );
    assert.deepEqual((await search("%summer_")).map((c) => c.id), [lima], "and in the full-text query");
    assert.deepEqual(await search("Rainy day"), [], "another user's conversations never match");
    assert.deepEqual(await search('"quoted'), []);
    const bad = await rt.app.request(`/api/conversations?q=${"x".repeat(201)}`, { headers: user.headers });
    assert.equal(bad.status, 422);
    assert.equal((await bad.json()).fields.q, "Search for at most 200 characters");
  } finally {
    await rt.close();
  }
});

Deno.test("GET /api/conversations/:id returns every message with reasoning, tool calls, attachments and metrics", async () => {
  const { rt, user } = await setup();
  try {
    const id = seed(rt, user, "Oslo trip", "What should I pack?");
    const res = await rt.app.request(`/api/conversations/${id}`, { headers: user.headers });
    assert.equal(res.status, 200);
    const c = await res.json() as Conversation;
    assert.equal(c.system_prompt, "Be helpful.");
    assert.deepEqual(c.messages.map((m) => m.role), ["user", "assistant", "tool", "assistant"]);
    assert.deepEqual(c.messages[0].attachments, [{
      kind: "text",
      name: "notes.txt",
      mime: "text/plain",
      data: "packing list",
    }]);
    assert.equal(c.messages[1].reasoning, "Check the weather first.");
    assert.equal(c.messages[1].reasoning_duration, 1.5);
    assert.equal(c.messages[1].tool_calls![0].function.name, "get_weather");
    assert.equal(c.messages[1].metrics!.tokens_per_second, 42.5);
    assert.equal(c.messages[2].tool_call_id, "call_1");
  } finally {
    await rt.close();
  }
});

Deno.test("conversations can be created, renamed and deleted; bad input gets a clear 422", async () => {
  const { rt, user } = await setup();
  try {
    let res = await rt.app.request("/api/conversations", json("POST", { title: "  Draft  " }, user.headers));
    assert.equal(res.status, 201);
    const created = await res.json() as Conversation;
    assert.equal(created.title, "Draft");
    assert.deepEqual(created.messages, []);

    res = await rt.app.request(
      `/api/conversations/${created.id}`,
      json("PATCH", { title: "Final" }, user.headers),
    );
    assert.equal(res.status, 200);
    assert.equal((await res.json()).title, "Final");

    res = await rt.app.request(
      `/api/conversations/${created.id}`,
      json("PATCH", { title: "" }, user.headers),
    );
    assert.equal(res.status, 422);
    assert.deepEqual((await res.json()).fields, { title: "Title is required" });
    res = await rt.app.request(`/api/conversations/${created.id}`, json("PATCH", {}, user.headers));
    assert.equal(res.status, 422);
    assert.equal((await res.json()).detail, "Send a title or a system_prompt");

    res = await rt.app.request(`/api/conversations/${created.id}`, {
      method: "DELETE",
      headers: user.headers,
    });
    assert.equal(res.status, 204);
    res = await rt.app.request(`/api/conversations/${created.id}`, { headers: user.headers });
    assert.equal(res.status, 404);
    await res.body?.cancel();
  } finally {
    await rt.close();
  }
});

Deno.test("another user's conversation is not found on every route, and is left untouched", async () => {
  const { rt, admin, user } = await setup();
  try {
    const id = seed(rt, admin, "Admin's plans", "Secret");
    const attempts: [string, RequestInit][] = [
      [`/api/conversations/${id}`, { headers: user.headers }],
      [`/api/conversations/${id}`, json("PATCH", { title: "Mine now" }, user.headers)],
      [`/api/conversations/${id}`, { method: "DELETE", headers: user.headers }],
      [`/api/conversations/${id}/export?format=json`, { headers: user.headers }],
      [`/api/conversations/${id}/export?format=md`, { headers: user.headers }],
    ];
    for (const [path, init] of attempts) {
      const res = await rt.app.request(path, init);
      assert.equal(res.status, 404, `${init.method ?? "GET"} ${path}`);
      assert.deepEqual(await res.json(), { detail: "Conversation not found", code: "not_found" });
    }
    const still = rt.deps.conversations.get(admin.id, id);
    assert.equal(still.title, "Admin's plans");
    assert.equal(still.messages.length, 4);
  } finally {
    await rt.close();
  }
});

Deno.test("a conversation exports as Markdown and as JSON, as a download", async () => {
  const { rt, user } = await setup();
  try {
    const id = seed(rt, user, "Oslo trip: day 1/2", "What should I pack?");
    let res = await rt.app.request(`/api/conversations/${id}/export`, { headers: user.headers });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/markdown; charset=utf-8");
    assert.equal(res.headers.get("content-disposition"), `attachment; filename="oslo-trip-day-1-2-${id}.md"`);
    const md = await res.text();
    assert.match(md, /^# Oslo trip: day 1\/2\n/);
    assert.match(md, /- Model: mlx-community\/Qwen3-8B-4bit \(Qwen 8B\)/);
    assert.match(md, /## System\n\nBe helpful\./);
    assert.match(
      md,
      /## User\n\nWhat should I pack\?\n\n\*\*Attached file notes\.txt:\*\*\n\n```\npacking list\n```/,
    );
    assert.match(md, /> \*\*Thinking \(1\.5 s\)\*\*\n>\n> Check the weather first\./);
    assert.match(md, /\*\*Tool call:\*\* `get_weather`\n\n```json\n\{\n {2}"location": "Oslo"\n\}\n```/);
    assert.match(
      md,
      /\*mlx-community\/Qwen3-8B-4bit · time to first token 120 ms · 42\.5 tokens\/s · 30 prompt \+ 12 completion tokens\*/,
    );
    assert.match(md, /## Tool result \(get_weather\)\n\n```json\n\{\n {2}"temperature": 12\n\}\n```/);

    res = await rt.app.request(`/api/conversations/${id}/export?format=json`, { headers: user.headers });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
    const doc = await res.json();
    assert.equal(doc.format, "mlx-manager.conversation");
    assert.equal(doc.version, 1);
    assert.equal(doc.conversation.title, "Oslo trip: day 1/2");
    assert.equal(doc.messages.length, 4);
    assert.equal(doc.messages[1].reasoning, "Check the weather first.");
    assert.equal(doc.messages[0].attachments[0].data, "packing list");

    res = await rt.app.request(`/api/conversations/${id}/export?format=pdf`, { headers: user.headers });
    assert.equal(res.status, 422);
    assert.deepEqual((await res.json()).fields, { format: 'format must be "md" or "json"' });
  } finally {
    await rt.close();
  }
});

Deno.test("deleting a user deletes their conversations and messages", async () => {
  const { rt, user } = await setup();
  try {
    seed(rt, user, "Oslo trip", "What should I pack?");
    rt.deps.accounts.remove(user.id);
    const left = rt.db.prepare(
      "SELECT (SELECT count(*) FROM conversations) AS c, (SELECT count(*) FROM chat_messages) AS m",
    )
      .get()!;
    assert.deepEqual([left.c, left.m], [0, 0]);
  } finally {
    await rt.close();
  }
});
