import assert from "node:assert/strict";
import OpenAI from "openai";
import { startGateway } from "./setup.ts";
import { waitFor } from "../../helpers/net.ts";
import { versionTest } from "../../helpers/versions.ts";

versionTest(
  "/v1 chat: the official client lists models, chats and streams through one base URL",
  async (version) => {
    await using gw = await startGateway({}, {}, version);
    const profile = await gw.profile({ name: "qwen-small" }, { reply: "Paris is the capital." });
    const { key } = await gw.key();
    const client = gw.client(key);

    const models = await client.models.list();
    const entry = models.data.find((m) => m.id === "qwen-small");
    assert.ok(entry, "the profile is listed by name");
    assert.equal(entry.object, "model");
    assert.equal((entry as unknown as { mlx_manager: { loaded: boolean } }).mlx_manager.loaded, false);

    const { data: completion, response } = await client.chat.completions.create({
      model: "qwen-small",
      messages: [{ role: "user", content: "Capital of France?" }],
    }).withResponse();
    assert.equal(completion.choices[0].message.content, "Paris is the capital.");
    assert.ok(completion.usage && completion.usage.completion_tokens > 0);
    assert.equal(
      gw.rt.deps.supervisor.status(profile.id).state,
      "running",
      "the stopped profile was started",
    );
    const requestId = response.headers.get("x-request-id");
    assert.match(requestId ?? "", /^req_/);

    const stream = await client.chat.completions.create({
      model: "QWEN-SMALL",
      messages: [{ role: "user", content: "again" }],
      stream: true,
    });
    let text = "";
    let usage = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      usage = chunk.usage ?? usage;
    }
    assert.equal(text, "Paris is the capital.");
    assert.ok(usage && usage.completion_tokens > 0, "the server's usage chunk passed through");

    const rows = await waitFor(() => {
      const page = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 10 });
      return page.data.length >= 2 && page.data;
    }, "two activity rows");
    const [streamed, plain] = rows;
    assert.equal(plain.id, requestId, "x-request-id is the activity row's id");
    assert.equal(plain.outcome, "ok");
    assert.equal(plain.cold_start, true);
    assert.equal(plain.completion_tokens, completion.usage!.completion_tokens);
    assert.equal(streamed.stream, true);
    assert.equal(streamed.completion_tokens, usage!.completion_tokens);
    assert.equal(streamed.tokens_estimated, false);
    assert.ok(streamed.ttft_ms !== null && streamed.ttft_ms > 0);
    assert.equal(streamed.cold_start, false);
    assert.equal(streamed.user_id, gw.admin.id);
  },
);

versionTest(
  "/v1 chat: a streamed answer reaches the client byte for byte as the server sent it",
  async (version) => {
    await using gw = await startGateway({}, {}, version);
    const profile = await gw.profile({ name: "bytes" }, {
      reply: "ünïcode ✓ split across chunks",
      chunk_chars: 3,
    });
    const { key } = await gw.key();
    const body = JSON.stringify({ model: "bytes", messages: [{ role: "user", content: "x" }], stream: true });
    const via = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });
    assert.equal(via.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.equal(via.headers.get("x-accel-buffering"), "no");
    assert.equal(via.headers.get("connection"), null, "hop-by-hop headers are dropped");
    const gatewayText = await via.text();
    const status = gw.rt.deps.supervisor.status(profile.id);
    // 1.8 answers only to the name it was started under, which the gateway put in.
    const model = status.served_model ?? "bytes";
    const direct = await fetch(`http://127.0.0.1:${status.port}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...JSON.parse(body), model }),
    });
    const directText = await direct.text();
    // Ids and timestamps carry the second; compare with them masked.
    const mask = (s: string) => s.replace(/chatcmpl_\d+/g, "ID").replace(/"created": \d+/g, '"created": 0');
    assert.equal(mask(gatewayText), mask(directText));
    assert.ok(gatewayText.endsWith("data: [DONE]\n\n"));
  },
);

Deno.test("/v1 chat: the 1.5.1 request fixes let developer roles and max_completion_tokens through", async () => {
  await using gw = await startGateway();
  const dir = await Deno.makeTempDir();
  const record = `${dir}/record.jsonl`;
  await gw.profile({ name: "fixes" }, { record });
  const { key } = await gw.key();
  const client = gw.client(key);
  const completion = await client.chat.completions.create({
    model: "fixes",
    max_completion_tokens: 64,
    messages: [
      { role: "developer", content: "Be brief" },
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "call_1", content: "sunny" },
      { role: "user", content: "thanks" },
    ],
  });
  assert.equal(completion.choices[0].message.content, "You said: thanks");
  const sent = (await Deno.readTextFile(record)).split("\n").filter(Boolean).map((l) => JSON.parse(l))
    .find((r) => r.event === "request").body;
  assert.equal(sent.messages[0].role, "system");
  assert.equal(sent.messages[2].content, "");
  assert.equal(sent.max_tokens, 64);
  assert.equal(sent.max_completion_tokens, undefined);
  assert.equal(sent.model, "fixes");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("/v1 errors: unknown model 404, wrong model type 400 before a start, server errors in OpenAI's shape", async () => {
  await using gw = await startGateway();
  const embed = await gw.profile({ name: "embedder", model_type: "embeddings" });
  const chat = await gw.profile({ name: "chatty" }, { queue_full: 1 });
  const { key } = await gw.key();
  const client = gw.client(key);

  await assert.rejects(
    client.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "x" }] }),
    (e: unknown) => e instanceof OpenAI.NotFoundError && e.code === "model_not_found",
  );
  await assert.rejects(client.models.retrieve("nope"), (e: unknown) => e instanceof OpenAI.NotFoundError);
  await assert.rejects(
    client.chat.completions.create({ model: "embedder", messages: [{ role: "user", content: "x" }] }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && e.code === "model_type_mismatch",
  );
  await assert.rejects(
    client.embeddings.create({ model: "chatty", input: "x" }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && e.code === "model_type_mismatch",
  );
  assert.equal(gw.rt.deps.supervisor.status(embed.id).state, "stopped", "a refused request starts nothing");
  assert.equal(gw.rt.deps.supervisor.status(chat.id).state, "stopped");

  await assert.rejects(
    client.completions.create({ model: "chatty", prompt: "x" }),
    (e: unknown) => e instanceof OpenAI.NotFoundError && e.code === "unsupported_endpoint",
  );
  // The server's own 429, with FastAPI's `detail` wrapping, arrives in OpenAI's shape.
  await assert.rejects(
    client.chat.completions.create({ model: "chatty", messages: [{ role: "user", content: "x" }] }),
    (e: unknown) =>
      e instanceof OpenAI.RateLimitError && e.type === "rate_limit_error" &&
      e.message.includes("Service is at capacity"),
  );
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: "{not json",
  });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.deepEqual(Object.keys(body.error).sort(), ["code", "message", "param", "type"]);
  assert.equal(body.error.code, "invalid_json");
});

Deno.test("/v1 errors: a start that fails answers 503 model_start_failed, which the client does not retry", async () => {
  await using gw = await startGateway();
  const profile = await gw.profile({ name: "broken" }, { fail: "model_not_found" });
  const { key } = await gw.key();
  const client = gw.client(key, { maxRetries: 2 });
  await assert.rejects(
    client.chat.completions.create({ model: "broken", messages: [{ role: "user", content: "x" }] }),
    (e: unknown) =>
      e instanceof OpenAI.InternalServerError && e.status === 503 && e.code === "model_start_failed" &&
      e.headers?.get("x-should-retry") === "false",
  );
  const rows = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 10 }).data;
  assert.equal(rows.length, 1, "one attempt, no retries");
  assert.equal(rows[0].outcome, "model_start_failed");
  assert.equal(gw.rt.deps.supervisor.status(profile.id).state, "failed");
});

// On 1.8 the crash is its model process's: the server lives on, and the manager ends it at the next sweep.
versionTest(
  "/v1 stream failures: a server error frame passes through; a crash mid-stream ends with one error frame and no [DONE]",
  async (version) => {
    await using gw = await startGateway({}, {}, version);
    // The sweep that sees a model process die.
    await gw.rt.start();
    await gw.profile({ name: "erring" }, { stream_error: 1, reply: "some words here" });
    await gw.profile({ name: "crashing" }, { fail: "crash_mid_stream", reply: "some words here" });
    const { key } = await gw.key();
    const client = gw.client(key);
    await assert.rejects(
      (async () => {
        const stream = await client.chat.completions.create({
          model: "erring",
          messages: [{ role: "user", content: "x" }],
          stream: true,
        });
        for await (const _ of stream) { /* read on */ }
      })(),
      (e: unknown) => e instanceof OpenAI.APIError && e.message.includes("simulated failure"),
    );
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "crashing", messages: [{ role: "user", content: "x" }], stream: true }),
    });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.ok(!text.includes("[DONE]"), "no [DONE] after a failure");
    const frames = text.trim().split("\n\n");
    assert.deepEqual(JSON.parse(frames.at(-1)!.slice(6)).error.code, "upstream_crashed");
    const rows = await waitFor(() => {
      const data = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 5 }).data;
      return data.length >= 2 && data;
    }, "two rows");
    assert.deepEqual(rows.map((r) => r.outcome), ["upstream_crashed", "upstream_error"]);
  },
);

Deno.test("/v1 refusals: a body over the limit 413, a wrong method 405, no model 400, each in OpenAI's shape", async () => {
  await using gw = await startGateway();
  const { key } = await gw.key();
  const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const big = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: auth,
    body: new Uint8Array(26 * 1024 * 1024),
  });
  assert.equal(big.status, 413);
  assert.equal((await big.json()).error.code, "request_too_large");
  const get = await fetch(`${gw.url}/v1/chat/completions`, { headers: auth });
  assert.equal(get.status, 405);
  assert.equal((await get.json()).error.code, "method_not_allowed");
  const none = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ messages: [] }),
  });
  assert.equal(none.status, 400);
  const body = await none.json();
  assert.equal(body.error.code, "missing_required_parameter");
  assert.equal(body.error.param, "model");
});

versionTest(
  "/v1 chat: a profile's default sampling and system prompt fill what the request leaves unset, never what it sets",
  async (version) => {
    await using gw = await startGateway({}, {}, version);
    const dir = await Deno.makeTempDir();
    const record = `${dir}/record.jsonl`;
    const profile = await gw.profile(
      {
        name: "tuned",
        temperature: 0.3,
        top_p: 0.8,
        max_tokens: 64,
        top_k: 40,
        min_p: 0.05,
        system_prompt: "Be brief.",
      },
      { record },
    );
    const { key } = await gw.key();
    const client = gw.client(key);
    await client.chat.completions.create({ model: "tuned", messages: [{ role: "user", content: "first" }] });
    await client.chat.completions.create({
      model: "tuned",
      temperature: 1.2,
      max_tokens: 7,
      messages: [{ role: "system", content: "Mine." }, { role: "user", content: "second" }],
    });
    const sent = (await Deno.readTextFile(record)).split("\n").filter(Boolean).map((l) => JSON.parse(l))
      .filter((r) => r.event === "request").map((r) => r.body);
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[0].messages, [{ role: "system", content: "Be brief." }, {
      role: "user",
      content: "first",
    }]);
    assert.deepEqual([sent[0].temperature, sent[0].top_p, sent[0].max_tokens], [0.3, 0.8, 64]);
    assert.deepEqual(sent[1].messages.map((m: { content: string }) => m.content), ["Mine.", "second"]);
    assert.deepEqual([sent[1].temperature, sent[1].top_p, sent[1].max_tokens], [1.2, 0.8, 7]);
    // 1.5.1 has no flags for them: they reach it in each request; 1.8 also gets them as its defaults.
    assert.deepEqual([sent[0].top_k, sent[0].min_p], [40, 0.05]);
    const args = gw.rt.deps.supervisor.logLines(profile.id, 200).find((l) => l.includes("Starting: "))!;
    assert.equal(args.includes("--top-k 40 --min-p 0.05"), version === "1.8.1", args);
    await Deno.remove(dir, { recursive: true });
  },
);
