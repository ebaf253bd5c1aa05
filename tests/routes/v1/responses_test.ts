import assert from "node:assert/strict";
import OpenAI from "openai";
import { startGateway } from "./setup.ts";
import { events, post, recorder } from "./bridge_helpers.ts";
import { waitFor } from "../../helpers/net.ts";
import { createUser } from "../../helpers/auth.ts";

Deno.test("/v1/responses: the official client gets text and the full event sequence, each an activity row", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "qwen3" }, { reply: "Hello there friend." });
  const { key } = await gw.key();
  const client = gw.client(key);

  const response = await client.responses.create({ model: "qwen3", input: "Hi" });
  assert.match(response.id, /^resp_/);
  assert.equal(response.object, "response");
  assert.equal(response.status, "completed");
  assert.equal(response.output_text, "Hello there friend.");
  assert.equal(response.output[0].type, "message");
  const usage = response.usage!;
  assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
  assert.ok(usage.output_tokens > 0);

  const stream = await client.responses.create({ model: "qwen3", input: "Hi", stream: true });
  const seen: { type: string; sequence_number: number }[] = [];
  let completed: OpenAI.Responses.Response | null = null;
  for await (const event of stream) {
    seen.push(event);
    if (event.type === "response.completed") completed = event.response;
  }
  assert.deepEqual(
    seen.map((e) => e.sequence_number),
    seen.map((_, i) => i),
    "sequence numbers count up from 0",
  );
  const types = seen.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]);
  assert.deepEqual(types, [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
  ]);
  assert.ok(completed);
  assert.equal(
    completed.output_text ?? (completed.output[0] as { content: { text: string }[] }).content[0].text,
    "Hello there friend.",
  );
  assert.ok(completed.usage!.total_tokens > 0, "Codex needs total_tokens");

  const rows = await waitFor(() => {
    const data = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 10 }).data;
    return data.length >= 2 && data;
  }, "two rows");
  assert.ok(rows.every((r) => r.endpoint === "/v1/responses" && r.outcome === "ok"));
  assert.deepEqual(rows.map((r) => r.stream), [true, false]);
});

Deno.test("/v1/responses: function calls, streamed and not, and their outputs; instructions and developer items lead once; other tools are dropped", async () => {
  await using gw = await startGateway();
  await using rec = await recorder();
  await gw.profile({ name: "coder" }, {
    tool_call: 1,
    tool_name: "exec_command",
    tool_args: '{"cmd": "ls"}',
    record: rec.file,
  });
  const { key } = await gw.key();
  const client = gw.client(key);
  const tools = [
    {
      type: "function" as const,
      name: "exec_command",
      description: "Run",
      parameters: { type: "object", properties: { cmd: { type: "string" } } },
      strict: false,
    },
    { type: "web_search" as const },
    {
      type: "namespace",
      name: "multi_agent_v1",
      description: "x",
      tools: [],
    } as unknown as OpenAI.Responses.Tool,
  ];
  const input: OpenAI.Responses.ResponseInputItem[] = [
    { type: "message", role: "developer", content: [{ type: "input_text", text: "Agent rules." }] },
    { type: "message", role: "user", content: [{ type: "input_text", text: "List files" }] },
  ];
  const called = await client.responses.create({ model: "coder", instructions: "Be brief.", tools, input });
  const call = called.output.find((i) => i.type === "function_call");
  assert.ok(call && call.type === "function_call");
  assert.equal(call.name, "exec_command");
  assert.equal(call.arguments, '{"cmd": "ls"}');
  assert.match(call.call_id, /^call_/);

  const stream = await client.responses.create({ model: "coder", tools, input, stream: true });
  const types: string[] = [];
  let done: OpenAI.Responses.ResponseOutputItem | null = null;
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === "response.output_item.done") done = event.item;
  }
  assert.ok(done && done.type === "function_call" && done.arguments === '{"cmd": "ls"}');
  assert.ok(types.includes("response.function_call_arguments.delta"));
  assert.ok(types.includes("response.function_call_arguments.done"));
  assert.ok(!types.includes("response.output_text.delta"), "no empty message beside the call");
  assert.equal(types.at(-1), "response.completed");

  const answered = await client.responses.create({
    model: "coder",
    tools,
    input: [...input, call, { type: "function_call_output", call_id: call.call_id, output: "a.txt b.txt" }],
  });
  assert.equal(answered.output_text, "You said: List files");
  const sent = await rec.bodies();
  const first = sent[0].messages as Record<string, unknown>[];
  assert.deepEqual(first[0], { role: "system", content: "Be brief.\n\nAgent rules." });
  assert.equal(first.filter((m) => m.role === "system").length, 1);
  assert.deepEqual((sent[0].tools as { function: { name: string } }[]).map((t) => t.function.name), [
    "exec_command",
  ]);
  const last = sent.at(-1)!.messages as Record<string, unknown>[];
  assert.deepEqual(last.map((m) => m.role), ["system", "user", "assistant", "tool"]);
  assert.equal(last[2].content, "", "a tool-only assistant turn carries an empty string");
  assert.deepEqual(last[3], { role: "tool", tool_call_id: call.call_id, content: "a.txt b.txt" });
});

Deno.test("/v1/responses state: previous_response_id continues a stored turn, GET and DELETE by the owner only, store: false keeps nothing", async () => {
  await using gw = await startGateway();
  await using rec = await recorder();
  await gw.profile({ name: "stateful" }, { record: rec.file });
  const { key } = await gw.key();
  const other = await createUser(gw.rt);
  const { key: otherKey } = await gw.key({ name: "theirs" }, other);
  const client = gw.client(key);
  const stranger = gw.client(otherKey);

  const first = await client.responses.create({
    model: "stateful",
    input: "My name is Ada.",
    instructions: "Be kind.",
  });
  const second = await client.responses.create({
    model: "stateful",
    input: "What is my name?",
    previous_response_id: first.id,
    stream: true,
  });
  let secondId = "";
  for await (const e of second) if (e.type === "response.completed") secondId = e.response.id;
  const third = await client.responses.create({
    model: "stateful",
    input: "Again?",
    previous_response_id: secondId,
  });
  assert.equal(third.previous_response_id, secondId);
  const sent = (await rec.bodies()).at(-1)!.messages as { role: string; content: string }[];
  assert.deepEqual(sent.map((m) => [m.role, m.content]), [
    ["user", "My name is Ada."],
    ["assistant", "You said: My name is Ada."],
    ["user", "What is my name?"],
    ["assistant", "You said: What is my name?"],
    ["user", "Again?"],
  ], "the model sees every earlier turn; earlier instructions are not carried over");

  const got = await client.responses.retrieve(first.id);
  assert.equal(got.id, first.id);
  assert.equal(got.output_text, "You said: My name is Ada.");
  await assert.rejects(
    stranger.responses.retrieve(first.id),
    (e: unknown) => e instanceof OpenAI.NotFoundError,
  );
  await assert.rejects(
    stranger.responses.delete(first.id),
    (e: unknown) => e instanceof OpenAI.NotFoundError,
  );
  await assert.rejects(
    stranger.responses.create({ model: "stateful", input: "x", previous_response_id: first.id }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === "previous_response_id",
  );
  const deleted = await fetch(`${gw.url}/v1/responses/${first.id}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${key}` },
  });
  assert.deepEqual(await deleted.json(), { id: first.id, object: "response", deleted: true });
  await assert.rejects(
    client.responses.retrieve(first.id),
    (e: unknown) => e instanceof OpenAI.NotFoundError,
  );

  const unstored = await client.responses.create({ model: "stateful", input: "Forget me.", store: false });
  assert.equal((unstored as unknown as { store: boolean }).store, false);
  await assert.rejects(
    client.responses.retrieve(unstored.id),
    (e: unknown) => e instanceof OpenAI.NotFoundError,
  );
  const count = gw.rt.db.prepare("SELECT COUNT(*) AS n FROM responses").get() as { n: number };
  assert.equal(count.n, 2, "the second and third turns are kept; the deleted and the unstored are not");

  // Past the retention, the scheduler's prune removes them.
  assert.equal(gw.rt.deps.bridges.prune(Date.now() + 31 * 86_400_000), 2);
});

Deno.test("/v1/responses errors: 401, 403, 404, 400 in OpenAI's shape; a failure midway is one response.failed and no completed", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "erring" }, { stream_error: 1, reply: "some words here" });
  await using rec = await recorder();
  await gw.profile({ name: "vision", model_type: "multimodal" }, { record: rec.file });
  const { key } = await gw.key();
  const { key: narrow } = await gw.key({ name: "narrow", models: ["vision"] });
  const auth = { authorization: `Bearer ${key}` };
  const shape = async (res: Response) => {
    const body = await res.json();
    assert.deepEqual(
      Object.keys(body.error).sort(),
      ["code", "message", "param", "type"],
      JSON.stringify(body),
    );
    return [res.status, body.error.code];
  };
  assert.deepEqual(await shape(await post(`${gw.url}/v1/responses`, { model: "erring", input: "x" })), [
    401,
    "invalid_api_key",
  ]);
  assert.deepEqual(
    await shape(
      await post(`${gw.url}/v1/responses`, { model: "erring", input: "x" }, {
        authorization: `Bearer ${narrow}`,
      }),
    ),
    [403, "model_not_allowed"],
  );
  assert.deepEqual(await shape(await post(`${gw.url}/v1/responses`, { model: "nope", input: "x" }, auth)), [
    404,
    "model_not_found",
  ]);
  for (
    const bad of ["{", { input: "x" }, { model: "erring" }, { model: "erring", input: [7] }, {
      model: "erring",
      input: [{ type: "message", role: "robot", content: "x" }],
    }, { model: "erring", input: "x", max_output_tokens: -1 }]
  ) {
    const [status] = await shape(await post(`${gw.url}/v1/responses`, bad, auth));
    assert.equal(status, 400, JSON.stringify(bad));
  }

  const wire = await events(
    await post(`${gw.url}/v1/responses`, { model: "erring", input: "x", stream: true }, auth),
  );
  const failed = wire.filter((e) => e.event === "response.failed");
  assert.equal(failed.length, 1, "said once");
  assert.equal(wire.at(-1)!.event, "response.failed");
  assert.ok(!wire.some((e) => e.event === "response.completed"));
  const response = failed[0].data!.response as { status: string; error: { code: string; message: string } };
  assert.equal(response.status, "failed");
  assert.match(response.error.message, /simulated failure/);

  const client = gw.client(key);
  const image = await client.responses.create({
    model: "vision",
    input: [{
      role: "user",
      content: [{ type: "input_text", text: "What is it?" }, {
        type: "input_image",
        image_url: "data:image/png;base64,iVBORw0KGgo=",
        detail: "auto",
      }],
    }],
  });
  assert.equal(image.output_text, "You said: What is it?");
  const sent = (await rec.bodies())[0].messages as { content: unknown }[];
  assert.deepEqual(sent[0].content, [
    { type: "text", text: "What is it?" },
    { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
  ]);
});

Deno.test("/v1/responses streams: a cold start sends response.created at once and keep-alives until the answer", async () => {
  await using gw = await startGateway({ MLX_MANAGER_SSE_KEEPALIVE: "0.1" });
  const profile = await gw.profile({ name: "cold" }, { load_delay_ms: 1500, reply: "Warm now." });
  const { key } = await gw.key();
  const res = await post(`${gw.url}/v1/responses`, { model: "cold", input: "Hi", stream: true }, {
    authorization: `Bearer ${key}`,
  });
  assert.equal(res.status, 200);
  assert.equal(
    gw.rt.deps.supervisor.status(profile.id).state,
    "starting",
    "the head came before the model was ready",
  );
  const wire = await events(res);
  assert.deepEqual(wire.slice(0, 2).map((e) => e.event), ["response.created", "response.in_progress"]);
  const firstItem = wire.findIndex((e) => e.event === "response.output_item.added");
  assert.ok(
    wire.slice(2, firstItem).filter((e) => e.comment !== undefined).length >= 3,
    "keep-alive comments",
  );
  assert.equal(wire.at(-1)!.event, "response.completed");
  const completed = wire.at(-1)!.data!.response as { output_text: string };
  assert.equal(completed.output_text, "Warm now.");
});
