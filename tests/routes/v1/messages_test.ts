import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { startGateway } from "./setup.ts";
import { events, post, recorder } from "./bridge_helpers.ts";
import { waitFor } from "../../helpers/net.ts";

const hi = [{ role: "user" as const, content: "Hi" }];

Deno.test("/v1/messages: the official client gets text and a stream in Anthropic's exact event order, each an activity row", async () => {
  await using gw = await startGateway();
  // An alias lets the profile answer to the model name an agent asks for.
  await gw.profile({ name: "claude-local", aliases: ["claude-sonnet-4-5"] }, {
    reply: "Hello there friend.",
  });
  const { key } = await gw.key();
  const client = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });

  const message = await client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: hi });
  assert.equal(message.model, "claude-sonnet-4-5", "the answer names the model the client asked for");
  assert.match(message.id, /^msg_/);
  assert.equal(message.type, "message");
  assert.deepEqual(message.content, [{ type: "text", text: "Hello there friend." }]);
  assert.equal(message.stop_reason, "end_turn");
  assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0);

  // Bearer (ANTHROPIC_AUTH_TOKEN) works as x-api-key (ANTHROPIC_API_KEY) does.
  const bearer = new Anthropic({ baseURL: gw.url, authToken: key, apiKey: null, maxRetries: 0 });
  const seen: string[] = [];
  const stream = bearer.messages.stream({ model: "claude-local", max_tokens: 64, messages: hi });
  for await (const event of stream) seen.push(event.type);
  const final = await stream.finalMessage();
  assert.deepEqual(final.content, [{ type: "text", text: "Hello there friend." }]);
  assert.equal(final.stop_reason, "end_turn");
  const deltas = seen.filter((t) => t === "content_block_delta").length;
  assert.ok(deltas >= 4, "one delta per chunk of the server's stream");
  assert.deepEqual(seen.filter((t) => t !== "content_block_delta"), [
    "message_start",
    "content_block_start",
    "content_block_stop",
    "message_delta",
    "message_stop",
  ]);

  // Claude Code's query string and its Accept header: the body says whether to stream.
  const raw = await post(`${gw.url}/v1/messages?beta=true`, {
    model: "claude-local",
    max_tokens: 64,
    stream: true,
    messages: hi,
    metadata: { user_id: '{"device_id":"x"}' },
    thinking: { type: "adaptive", display: "omitted" },
    context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] },
    output_config: { effort: "high" },
    cache_control: { type: "ephemeral" },
  }, { authorization: `Bearer ${key}`, accept: "application/json", "accept-encoding": "gzip, br" });
  assert.equal(raw.status, 200);
  assert.equal(raw.headers.get("content-type"), "text/event-stream; charset=utf-8");
  assert.equal(raw.headers.get("content-encoding"), null, "no compression holds the stream back");
  const wire = await events(raw);
  assert.equal(wire[0].event, "message_start");
  assert.ok(wire.every((e) => e.event === e.data?.type), "each event's name is its data's type");
  assert.equal(wire.at(-1)!.event, "message_stop");

  const rows = await waitFor(() => {
    const data = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 10 }).data;
    return data.length >= 3 && data;
  }, "three activity rows");
  assert.ok(rows.every((r) => r.endpoint === "/v1/messages" && r.outcome === "ok" && r.profile_id !== null));
  assert.deepEqual(rows.map((r) => r.model), ["claude-local", "claude-local", "claude-sonnet-4-5"]);
  assert.deepEqual(rows.map((r) => r.stream), [true, true, false]);
  assert.ok(rows[0].ttft_ms !== null && rows[0].completion_tokens! > 0, "the first token and usage are seen");
});

Deno.test("/v1/messages: tool use ends with stop_reason tool_use, streamed and not, and a tool_result gets the answer", async () => {
  await using gw = await startGateway();
  await using rec = await recorder();
  await gw.profile({ name: "tooler" }, { tool_call: 1, tool_name: "get_weather", record: rec.file });
  const { key } = await gw.key();
  const client = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });
  const tools = [{
    name: "get_weather",
    description: "Weather of a city",
    input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
  }];

  const called = await client.messages.create({ model: "tooler", max_tokens: 64, tools, messages: hi });
  assert.equal(called.stop_reason, "tool_use");
  const use = called.content.find((b) => b.type === "tool_use")!;
  assert.ok(use && use.type === "tool_use");
  assert.equal(use.name, "get_weather");
  assert.deepEqual(use.input, { city: "Tokyo" });
  assert.match(use.id, /^[a-zA-Z0-9_-]+$/);

  const stream = client.messages.stream({ model: "tooler", max_tokens: 64, tools, messages: hi });
  const final = await stream.finalMessage();
  assert.equal(final.stop_reason, "tool_use");
  const streamedUse = final.content.find((b) => b.type === "tool_use");
  assert.ok(streamedUse && streamedUse.type === "tool_use");
  assert.deepEqual(streamedUse.input, { city: "Tokyo" }, "input_json_delta parts form the input");
  assert.ok(!final.content.some((b) => b.type === "text"), "no empty text block beside the call");

  const answer = await client.messages.create({
    model: "tooler",
    max_tokens: 64,
    tools,
    tool_choice: { type: "tool", name: "get_weather" },
    messages: [
      ...hi,
      { role: "assistant", content: [use] },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: use.id, content: [{ type: "text", text: "sunny" }] },
          { type: "text", text: "and tomorrow?" },
        ],
      },
    ],
  });
  assert.equal(answer.stop_reason, "end_turn");
  assert.deepEqual(answer.content, [{ type: "text", text: "You said: and tomorrow?" }]);
  const sent = (await rec.bodies()).at(-1)!;
  const messages = sent.messages as Record<string, unknown>[];
  assert.deepEqual(messages.map((m) => m.role), ["user", "assistant", "tool", "user"]);
  assert.equal(messages[1].content, "", "a tool-only assistant turn carries an empty string, not null");
  assert.deepEqual((messages[1].tool_calls as { function: unknown }[])[0].function, {
    name: "get_weather",
    arguments: '{"city":"Tokyo"}',
  });
  assert.equal(messages[2].tool_call_id, use.id);
  assert.equal(messages[2].content, "sunny");
  assert.deepEqual(sent.tool_choice, { type: "function", function: { name: "get_weather" } });
  assert.deepEqual(
    (sent.tools as { function: { parameters: unknown } }[])[0].function.parameters,
    tools[0].input_schema,
  );
});

Deno.test("/v1/messages: system text in every form leads once, images reach a multimodal profile, reasoning is a signed thinking block", async () => {
  await using gw = await startGateway();
  await using rec = await recorder();
  await gw.profile({ name: "vision", model_type: "multimodal" }, { record: rec.file });
  await gw.profile({ name: "thinker", reasoning_parser: "qwen3" }, { reasoning: "1", reply: "Done." });
  const { key } = await gw.key();
  const client = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });
  await client.messages.create({
    model: "vision",
    max_tokens: 32,
    system: [{ type: "text", text: "Block one." }, {
      type: "text",
      text: "Block two.",
      cache_control: { type: "ephemeral" },
    }],
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          { type: "image", source: { type: "url", url: "https://example.com/cat.png" } },
          {
            type: "document",
            source: { type: "text", media_type: "text/plain", data: "Notes." },
            title: "notes.txt",
          },
        ],
      },
      // Claude Code puts a system entry after the user's turn.
      { role: "system" as "user", content: [{ type: "text", text: "Environment: linux." }] },
    ],
  });
  await client.messages.create({ model: "vision", max_tokens: 32, system: "Plain string.", messages: hi });
  const [first, second] = await rec.bodies();
  const messages = first.messages as { role: string; content: unknown }[];
  assert.deepEqual(messages.map((m) => m.role), ["system", "user"], "one leading system message");
  assert.equal(messages[0].content, "Block one.\n\nBlock two.\n\nEnvironment: linux.");
  assert.deepEqual(messages[1].content, [
    { type: "text", text: "What is this?" },
    { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
    { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
    { type: "text", text: "notes.txt\n\nNotes." },
  ]);
  assert.deepEqual((second.messages as unknown[])[0], { role: "system", content: "Plain string." });

  const wire = await events(
    await post(`${gw.url}/v1/messages`, { model: "thinker", max_tokens: 64, stream: true, messages: hi }, {
      "x-api-key": key,
    }),
  );
  const names = wire.filter((e) => e.event !== "ping").map((e) => {
    const delta = e.data?.delta as { type?: string } | undefined;
    const block = e.data?.content_block as { type?: string } | undefined;
    return e.event === "content_block_delta" ? delta!.type : block ? `${e.event}:${block.type}` : e.event;
  });
  const squeezed = names.filter((n, i) => n !== names[i - 1]);
  assert.deepEqual(squeezed, [
    "message_start",
    "content_block_start:thinking",
    "thinking_delta",
    "signature_delta",
    "content_block_stop",
    "content_block_start:text",
    "text_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
  ]);
  const thought = await client.messages.create({ model: "thinker", max_tokens: 64, messages: hi });
  assert.equal(thought.content[0].type, "thinking");
  assert.equal(
    (thought.content[0] as { thinking: string }).thinking,
    "Let me think about this step by step.",
  );
  assert.deepEqual(thought.content[1], { type: "text", text: "Done." });
});
