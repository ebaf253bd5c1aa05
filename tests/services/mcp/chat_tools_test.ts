import assert from "node:assert/strict";
import type { ChatEvent } from "../../../lib/chat/types.ts";
import { StaticTargets } from "../../helpers/static_targets.ts";
import { DECLINED } from "../../../services/chat/tools/runner.ts";
import { type TestRuntime, testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, json, type TestUser } from "../../helpers/auth.ts";
import { type FakeServer, startFakeServer } from "../../helpers/fake_server.ts";
import { waitFor } from "../../helpers/net.ts";
import { sseBlocks } from "../../helpers/sse.ts";
import { stdioFixture } from "../../fixtures/mcp_launch.ts";

type Result = Extract<ChatEvent, { type: "tool_result" }>;
type Confirm = Extract<ChatEvent, { type: "tool_confirm" }>;

interface Setup {
  rt: TestRuntime;
  admin: TestUser;
  user: TestUser;
  fake: FakeServer;
  serverId: number;
  record: string;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A fake model that calls `tool` once with `args`, and an app with the stdio fixture registered as "fixture". */
async function setup(
  tool: string,
  args: unknown,
  env: Record<string, string> = {},
  server: Record<string, unknown> = {},
): Promise<Setup> {
  const fake = await startFakeServer({
    FAKE_MLX_TOOL_CALL: "1",
    FAKE_MLX_TOOL_NAME: tool,
    FAKE_MLX_TOOL_ARGS: JSON.stringify(args),
    FAKE_MLX_REPLY: "Done.",
  });
  const rt = await testRuntime({
    runtime: {
      chatTargets: new StaticTargets([{
        profileId: 1,
        name: "Fake Qwen",
        modelId: fake.modelPath,
        modelType: "lm",
        systemPrompt: null,
        state: "running",
        baseUrl: fake.url,
      }]),
    },
    env,
  });
  const { admin, user } = await adminAndUser(rt);
  const record = `${rt.dataDir}/mcp-calls.jsonl`;
  const res = await rt.app.request(
    "/api/mcp/servers",
    json("POST", stdioFixture("fixture", { MCP_FIXTURE_RECORD: record }, server), admin.headers),
  );
  const { id } = await res.json();
  await waitFor(() => rt.deps.mcp.get(id).state === "connected", "fixture connected");
  return {
    rt,
    admin,
    user,
    fake,
    serverId: id,
    record,
    async [Symbol.asyncDispose]() {
      await rt.close();
      await fake.stop();
    },
  };
}

async function calls(file: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(file).catch(() => "");
  return text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

/** Sends a chat turn and reads every event; `onConfirm` answers confirmations as they come. */
async function chat(
  s: Setup,
  body: Record<string, unknown>,
  onConfirm?: (event: Confirm) => Promise<void>,
): Promise<ChatEvent[]> {
  const res = await s.rt.app.request(
    "/api/chat/completions",
    json("POST", { profile_id: 1, messages: [{ role: "user", content: "hello" }], ...body }, s.user.headers),
  );
  assert.equal(res.status, 200);
  const events: ChatEvent[] = [];
  for await (const block of sseBlocks(res)) {
    if (block.data === undefined) continue;
    const event = JSON.parse(block.data) as ChatEvent;
    events.push(event);
    if (event.type === "tool_confirm" && onConfirm) await onConfirm(event);
  }
  return events;
}

const types = (events: ChatEvent[]) =>
  events.map((e) => e.type).filter((t, i, all) => !(t === "response" && all[i - 1] === "response"));

async function modelRequests(fake: FakeServer) {
  return (await fake.records()).filter((r) => r.event === "request").map((r) =>
    r.body as {
      tools?: { function: { name: string; parameters: unknown } }[];
      messages: Record<string, unknown>[];
    }
  );
}

Deno.test("a chat with mcp_servers offers their tools and runs a read-only one at once through MCP", async () => {
  await using s = await setup("fixture__echo", { text: "hi from mcp" });
  const events = await chat(s, { mcp_servers: [s.serverId], run_tools: true });
  assert.deepEqual(types(events), [
    "tool_call",
    "tool_calls_done",
    "metrics",
    "tool_result",
    "response",
    "metrics",
    "done",
  ]);
  const result = events.find((e) => e.type === "tool_result") as Result;
  assert.equal(result.content, "hi from mcp");
  assert.equal(result.server, "fixture");
  assert.equal(result.name, "fixture__echo");
  assert.equal(result.is_error, undefined);
  assert.deepEqual(await calls(s.record), [{ tool: "echo", args: { text: "hi from mcp" } }]);

  const [first, second] = await modelRequests(s.fake);
  const offered = first.tools!.map((t) => t.function.name);
  assert.ok(offered.includes("fixture__echo") && offered.includes("fixture__write_note"), offered.join());
  const echo = first.tools!.find((t) => t.function.name === "fixture__echo")!;
  assert.equal((echo.function.parameters as { type: string }).type, "object");
  const toolMessage = second.messages.at(-1)!;
  assert.deepEqual(toolMessage, {
    role: "tool",
    tool_call_id: result.tool_call_id,
    name: "fixture__echo",
    content: "hi from mcp",
  });
});

Deno.test("the built-in server (id 0) offers the built-in tools beside an MCP server's, without duplicates", async () => {
  await using s = await setup("calculate", { expression: "2 + 3" });
  const builtins = await (await s.rt.app.request("/api/mcp/tools", { headers: s.user.headers })).json();
  const events = await chat(s, { tools: builtins, mcp_servers: [0, s.serverId], run_tools: true });
  const result = events.find((e) => e.type === "tool_result") as Result;
  assert.deepEqual(JSON.parse(result.content), { expression: "2 + 3", result: 5 });
  const [first] = await modelRequests(s.fake);
  const names = first.tools!.map((t) => t.function.name);
  assert.equal(names.filter((n) => n === "calculate").length, 1);
  assert.ok(names.includes("fixture__echo"));
});

Deno.test("a hung MCP tool times out as an error result and the chat goes on", async () => {
  await using s = await setup("fixture__slow", { ms: 60_000 }, { MLX_MANAGER_MCP_TOOL_TIMEOUT: "0.3" });
  const events = await chat(s, { mcp_servers: [s.serverId], run_tools: true });
  const result = events.find((e) => e.type === "tool_result") as Result;
  assert.equal(result.is_error, true);
  assert.equal(result.content, "Error: The tool did not answer within 0.3 s");
  assert.equal(events.at(-1)!.type, "done");
  assert.ok(events.some((e) => e.type === "response"));
  await waitFor(
    async () => (await calls(s.record)).some((c) => c.event === "cancelled"),
    "cancellation sent",
  );
});

Deno.test("a refused confirmation gives the model the refusal and never calls the tool", async () => {
  await using s = await setup("fixture__write_note", { note: "delete everything" });
  let confirm: Confirm | null = null;
  const events = await chat(s, { mcp_servers: [s.serverId], run_tools: true }, async (event) => {
    confirm = event;
    // Only the user whose chat asked may answer.
    const other = await s.rt.app.request(
      `/api/chat/tool-confirmations/${event.tool_call_id}`,
      json("POST", { approve: true }, s.admin.headers),
    );
    assert.equal(other.status, 404);
    const bad = await s.rt.app.request(
      `/api/chat/tool-confirmations/${event.tool_call_id}`,
      json("POST", { approve: "yes" }, s.user.headers),
    );
    assert.equal(bad.status, 422);
    const res = await s.rt.app.request(
      `/api/chat/tool-confirmations/${event.tool_call_id}`,
      json("POST", { approve: false }, s.user.headers),
    );
    assert.equal(res.status, 204);
  });
  assert.ok(confirm);
  const asked = confirm as Confirm;
  assert.equal(asked.server, "fixture");
  assert.equal(asked.tool, "write_note");
  assert.equal(asked.name, "fixture__write_note");
  assert.deepEqual(asked.arguments, { note: "delete everything" });
  assert.equal(asked.server_id, s.serverId);
  const result = events.find((e) => e.type === "tool_result") as Result;
  assert.equal(result.content, DECLINED);
  assert.equal(result.is_error, true);
  assert.equal(events.at(-1)!.type, "done");
  assert.deepEqual(await calls(s.record), []);
  const [, second] = await modelRequests(s.fake);
  assert.equal(second.messages.at(-1)!.content, DECLINED);
});

Deno.test("an approved confirmation runs the tool; no answer in time counts as a refusal", async () => {
  await using s = await setup("fixture__write_note", { note: "hello" }, {
    MLX_MANAGER_MCP_CONFIRM_TIMEOUT: "0.3",
  });
  const approved = await chat(s, { mcp_servers: [s.serverId], run_tools: true }, async (event) => {
    const res = await s.rt.app.request(
      `/api/chat/tool-confirmations/${event.tool_call_id}`,
      json("POST", { approve: true }, s.user.headers),
    );
    assert.equal(res.status, 204);
  });
  assert.equal((approved.find((e) => e.type === "tool_result") as Result).content, "saved: hello");
  assert.equal((await calls(s.record)).length, 1);

  const timedOut = await chat(s, { mcp_servers: [s.serverId], run_tools: true });
  assert.ok(timedOut.some((e) => e.type === "tool_confirm"));
  assert.equal((timedOut.find((e) => e.type === "tool_result") as Result).content, DECLINED);
  assert.equal((await calls(s.record)).length, 1, "not called again");
});

Deno.test("a server's auto_approve list lets a tool run without asking", async () => {
  await using s = await setup("fixture__write_note", { note: "auto" }, {}, { auto_approve: ["write_note"] });
  const events = await chat(s, { mcp_servers: [s.serverId], run_tools: true });
  assert.ok(!events.some((e) => e.type === "tool_confirm"));
  assert.equal((events.find((e) => e.type === "tool_result") as Result).content, "saved: auto");
});

Deno.test("a long MCP result is cut to MLX_MANAGER_MCP_MAX_OUTPUT with a note", async () => {
  await using s = await setup("fixture__big", { chars: 5000 }, { MLX_MANAGER_MCP_MAX_OUTPUT: "100" });
  const events = await chat(s, { mcp_servers: [s.serverId], run_tools: true });
  const result = events.find((e) => e.type === "tool_result") as Result;
  assert.equal(result.content, "x".repeat(100) + "\n[output truncated: 100 of 5000 characters shown]");
  assert.equal(result.truncated, true);
});

Deno.test("a tool whose server dies during the call becomes an error result and the chat goes on", async () => {
  await using s = await setup("fixture__crash", {});
  const events = await chat(s, { mcp_servers: [s.serverId], run_tools: true });
  const result = events.find((e) => e.type === "tool_result") as Result;
  assert.equal(result.is_error, true);
  assert.match(result.content, /MCP server "fixture" disconnected during the call/);
  assert.equal(events.at(-1)!.type, "done");
});

Deno.test("mixed MCP results reach the model as one tool message with text, resources and described images", async () => {
  await using s = await setup("fixture__mixed", {});
  const events = await chat(s, { mcp_servers: [s.serverId], run_tools: true });
  const result = events.find((e) => e.type === "tool_result") as Result;
  assert.equal(
    result.content,
    "here you go\n[image: image/png, 3 KB]\n[resource: file:///notes.txt]\nnote body\n[resource: file:///big.bin (big.bin)]",
  );
});

Deno.test("a chat naming an unknown MCP server is a 404 before the stream starts; bad ids are 422", async () => {
  await using s = await setup("fixture__echo", { text: "x" });
  const body = { profile_id: 1, messages: [{ role: "user", content: "hi" }] };
  const unknown = await s.rt.app.request(
    "/api/chat/completions",
    json("POST", { ...body, mcp_servers: [999] }, s.user.headers),
  );
  assert.equal(unknown.status, 404);
  assert.match((await unknown.json()).detail, /MCP server 999 not found/);
  const bad = await s.rt.app.request(
    "/api/chat/completions",
    json("POST", { ...body, mcp_servers: ["x"] }, s.user.headers),
  );
  assert.equal(bad.status, 422);
});

Deno.test("a tool that answers isError reaches the model as an error result and the chat goes on", async () => {
  await using s = await setup("fixture__fail", {});
  const events = await chat(s, { mcp_servers: [s.serverId], run_tools: true });
  const result = events.find((e) => e.type === "tool_result") as Result;
  assert.equal(result.content, "Error: the disk is on fire");
  assert.equal(result.is_error, true);
  assert.equal(events.at(-1)!.type, "done");
});
