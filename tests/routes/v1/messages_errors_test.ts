import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { type Gateway, startGateway } from "./setup.ts";
import { events, post } from "./bridge_helpers.ts";
import { waitFor } from "../../helpers/net.ts";
import { json } from "../../helpers/auth.ts";

const hi = [{ role: "user" as const, content: "Hi" }];

async function errorOf(res: Response): Promise<{ status: number; type: string; message: string }> {
  const body = await res.json();
  assert.equal(body.type, "error", JSON.stringify(body));
  assert.deepEqual(Object.keys(body.error).sort(), ["message", "type"]);
  return { status: res.status, type: body.error.type, message: body.error.message };
}

function messages(gw: Gateway, body: unknown, headers: Record<string, string>): Promise<Response> {
  return post(`${gw.url}/v1/messages`, body, headers);
}

Deno.test("/v1/messages errors: 401, 403, 404, 400, 413 in Anthropic's shape, before anything starts", async () => {
  await using gw = await startGateway();
  const profile = await gw.profile({ name: "guarded" });
  const { key } = await gw.key();
  await gw.profile({ name: "other" });
  const { key: narrow } = await gw.key({ name: "narrow", models: ["other"] });
  const good = { model: "guarded", max_tokens: 16, messages: hi };

  const client = new Anthropic({ baseURL: gw.url, apiKey: "mlxm_wrong", maxRetries: 0 });
  await assert.rejects(
    client.messages.create(good),
    (e: unknown) => e instanceof Anthropic.AuthenticationError && e.status === 401,
  );
  assert.deepEqual(await errorOf(await messages(gw, good, {})), {
    status: 401,
    type: "authentication_error",
    message:
      "You didn't provide an API key. Send it as Authorization: Bearer <key>; create one on the Keys page",
  });
  const forbidden = await errorOf(await messages(gw, good, { "x-api-key": narrow }));
  assert.deepEqual([forbidden.status, forbidden.type], [403, "permission_error"]);
  const unknown = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });
  await assert.rejects(
    unknown.messages.create({ ...good, model: "nope" }),
    (e: unknown) => e instanceof Anthropic.NotFoundError && e.status === 404,
  );
  for (
    const bad of [
      "{not json",
      { messages: hi, max_tokens: 16 },
      { model: "guarded", messages: hi },
      { model: "guarded", max_tokens: 16, messages: [] },
      { model: "guarded", max_tokens: 16, messages: [{ role: "tool", content: "x" }] },
      { model: "guarded", max_tokens: 16, temperature: 3, messages: hi },
      {
        model: "guarded",
        max_tokens: 16,
        messages: [{ role: "user", content: [{ type: "image", source: {} }] }],
      },
    ]
  ) {
    const error = await errorOf(await messages(gw, bad, { "x-api-key": key }));
    assert.deepEqual([error.status, error.type], [400, "invalid_request_error"], JSON.stringify(bad));
  }
  const huge = await messages(gw, "x".repeat(26 * 1024 * 1024), { "x-api-key": key });
  assert.deepEqual([(await errorOf(huge)).status, huge.status], [413, 413]);
  const wrongMethod = await fetch(`${gw.url}/v1/messages`, { headers: { "x-api-key": key } });
  assert.equal((await errorOf(wrongMethod)).status, 405);
  assert.equal(gw.rt.deps.supervisor.status(profile.id).state, "stopped", "no refusal started the model");

  const rows = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 50 }).data;
  assert.ok(rows.length >= 10 && rows.every((r) => r.endpoint === "/v1/messages"), "every refusal is a row");
  assert.equal(rows.filter((r) => r.outcome === "rejected_auth").length, 2);
});

Deno.test("/v1/messages errors: a full queue is 529 overloaded_error with retry-after, the server's 429 a rate_limit_error", async () => {
  await using gw = await startGateway();
  const profile = await gw.profile(
    { name: "narrow", max_concurrency: 1, queue_size: 1, queue_timeout: 30 },
    { reply: "word ".repeat(60), token_delay_ms: 20 },
  );
  await gw.profile({ name: "capacity" }, { queue_full: 1 });
  const { key } = await gw.key();
  const client = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });
  const holding = client.messages.stream({ model: "narrow", max_tokens: 200, messages: hi });
  await holding.emitted("text");
  const waiting = client.messages.create({ model: "narrow", max_tokens: 200, messages: hi });
  await waitFor(() => gw.rt.deps.supervisor.status(profile.id).queued === 1, "one request waits");
  const full = await messages(gw, { model: "narrow", max_tokens: 16, stream: true, messages: hi }, {
    "x-api-key": key,
  });
  assert.ok(Number(full.headers.get("retry-after")) >= 1, "retry-after in seconds");
  assert.deepEqual(await errorOf(full).then((e) => [e.status, e.type]), [529, "overloaded_error"]);
  assert.equal((await waiting).stop_reason, "end_turn");
  await holding.finalMessage();

  await assert.rejects(
    client.messages.create({ model: "capacity", max_tokens: 16, messages: hi }),
    (e: unknown) =>
      e instanceof Anthropic.RateLimitError && e.status === 429 && /at capacity/.test(e.message),
  );
});

Deno.test("/v1/messages streams: a server error or crash midway is one error event, with nothing after it", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "erring" }, { stream_error: 1, reply: "some words here" });
  await gw.profile({ name: "crashing" }, { fail: "crash_mid_stream", reply: "some words here" });
  // A start that fails after the stream was committed (the model loaded for longer than a moment).
  await gw.profile({ name: "failing" }, { fail: "model_not_found", load_delay_ms: 1200 });
  const { key } = await gw.key();
  const client = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });
  await assert.rejects(
    client.messages.stream({ model: "erring", max_tokens: 64, messages: hi }).finalMessage(),
    (e: unknown) => e instanceof Anthropic.APIError && /simulated failure/.test(e.message),
  );
  for (const model of ["erring", "crashing", "failing"]) {
    const wire = await events(
      await messages(gw, { model, max_tokens: 64, stream: true, messages: hi }, { "x-api-key": key }),
    );
    assert.equal(wire.at(-1)!.event, "error", model);
    assert.equal(wire.filter((e) => e.event === "error").length, 1);
    assert.ok(!wire.some((e) => e.event === "message_stop" || e.event === "message_delta"), model);
    const error = wire.at(-1)!.data!.error as { type: string };
    assert.equal(error.type, "api_error");
    if (model === "failing") {
      assert.equal(wire[0].event, "message_start", "committed before the start failed");
    }
  }
  const outcomes = await waitFor(() => {
    const data = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 5 }).data;
    return data.length >= 4 && data.map((r) => r.outcome);
  }, "four rows");
  assert.deepEqual(outcomes, ["model_start_failed", "upstream_crashed", "upstream_error", "upstream_error"]);
});

Deno.test("/v1/messages streams: a cold start sends message_start at once and pings while the model loads, as a long prompt does while it is read", async () => {
  await using gw = await startGateway({ MLX_MANAGER_SSE_KEEPALIVE: "0.1" });
  const profile = await gw.profile({ name: "cold" }, { load_delay_ms: 1500, reply: "Warm now." });
  const { key } = await gw.key();
  const started = performance.now();
  const res = await messages(gw, { model: "cold", max_tokens: 64, stream: true, messages: hi }, {
    "x-api-key": key,
  });
  assert.ok(performance.now() - started < 1400, "the head came before the model was ready");
  assert.equal(res.status, 200);
  assert.equal(gw.rt.deps.supervisor.status(profile.id).state, "starting");
  const wire = await events(res);
  assert.equal(wire[0].event, "message_start");
  const firstBlock = wire.findIndex((e) => e.event === "content_block_start");
  const pings = wire.slice(1, firstBlock).filter((e) => e.event === "ping");
  assert.ok(pings.length >= 3, `pings while loading: ${pings.length}`);
  const text = wire.filter((e) => e.event === "content_block_delta").map((e) =>
    (e.data!.delta as { text: string }).text
  ).join("");
  assert.equal(text, "Warm now.");
  assert.equal(wire.at(-1)!.event, "message_stop");
  const row = await waitFor(
    () => gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 1 }).data[0],
    "the row",
  );
  assert.equal(row.cold_start, true);
  assert.equal(row.outcome, "ok");
  // A long prompt: the server answers at once but its first token comes only after it read the prompt.
  await gw.profile({ name: "prefill" }, { token_delay_ms: 1000, reply: "Read." });
  const slow = await events(
    await messages(gw, { model: "prefill", max_tokens: 64, stream: true, messages: hi }, {
      "x-api-key": key,
    }),
  );
  const before = slow.slice(1, slow.findIndex((e) => e.event === "content_block_start"));
  assert.ok(before.filter((e) => e.event === "ping").length >= 3, "pings while the prompt is read");
  assert.equal(slow.at(-1)!.event, "message_stop");
});

Deno.test("/v1/messages: a second manager's model answers through this one, streamed and not", async () => {
  await using peer = await startGateway();
  await using front = await startGateway();
  await peer.profile({ name: "far" }, { reply: "From the studio." });
  const res = await front.rt.app.request(
    "/api/upstreams",
    json("POST", {
      name: "studio",
      kind: "mlx-manager",
      base_url: `${peer.url}/v1`,
      api_key: (await peer.key({ name: "front door" })).key,
    }, front.admin.headers),
  );
  assert.equal(res.status, 201);
  await waitFor(
    () => front.rt.deps.upstreams.targets().some((t) => t.models.length > 0),
    "the peer's models",
  );
  const { key } = await front.key();
  const client = new Anthropic({ baseURL: front.url, apiKey: key, maxRetries: 0 });
  const message = await client.messages.create({ model: "studio/far", max_tokens: 32, messages: hi });
  assert.deepEqual(message.content, [{ type: "text", text: "From the studio." }]);
  const final = await client.messages.stream({ model: "far", max_tokens: 32, messages: hi }).finalMessage();
  assert.deepEqual(final.content, [{ type: "text", text: "From the studio." }]);
  const rows = front.rt.deps.activity.list({ id: front.admin.id, isAdmin: true }, { limit: 5 }).data;
  assert.ok(rows.every((r) => r.upstream === "studio" && r.endpoint === "/v1/messages"));
  const peerRows = peer.rt.deps.activity.list({ id: peer.admin.id, isAdmin: true }, { limit: 5 }).data;
  assert.ok(
    peerRows.every((r) => r.endpoint === "/v1/chat/completions"),
    "the peer is reached by chat completions",
  );
});
