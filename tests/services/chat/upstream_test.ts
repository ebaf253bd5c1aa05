import assert from "node:assert/strict";
import type { ChatEvent } from "../../../lib/chat/types.ts";
import { describeHttpError, streamRound } from "../../../services/chat/upstream.ts";
import { Http1Client } from "../../../services/platform/http1/mod.ts";
import { startFakeServer } from "../../helpers/fake_server.ts";
import { freePort } from "../../helpers/net.ts";

const USER = [{ role: "user", content: "what is the capital of France?" }];

/** Streams one round from `baseUrl` and collects every batch of events. */
async function round(
  baseUrl: string,
  body: Record<string, unknown> = {},
  options: { signal?: AbortSignal; idleTimeoutMs?: number; client?: Http1Client } = {},
) {
  const batches: ChatEvent[][] = [];
  const outcome = await streamRound({
    baseUrl,
    body: { model: "m", messages: USER, ...body },
    idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
    signal: options.signal ?? new AbortController().signal,
    client: options.client,
    onEvents: (events) => batches.push(events),
  });
  const events = batches.flat();
  const text = (type: string) =>
    events.filter((e) => e.type === type).map((e) => (e as { content: string }).content).join("");
  return { outcome, events, batches, thinking: text("thinking"), response: text("response") };
}

Deno.test("streamRound splits reasoning sent as a field, reads the usage frame and reuses one pooled connection", async () => {
  const fake = await startFakeServer({ FAKE_MLX_REASONING: "1", FAKE_MLX_USAGE_CHUNK: "1" }, {
    args: ["--reasoning-parser", "qwen3"],
  });
  const client = new Http1Client({ keepAlive: true });
  try {
    const first = await round(fake.url, {}, { client });
    assert.equal(first.outcome.error, null);
    assert.equal(first.thinking, "Let me think about this step by step.");
    assert.equal(first.response, `You said: ${USER[0].content}`);
    const types = first.events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]);
    assert.deepEqual(types, ["thinking", "thinking_done", "response"]);
    // Text arrives in chunks of 4 characters: never one event per character.
    const responses = first.events.filter((e) => e.type === "response") as { content: string }[];
    assert.ok(
      responses.every((e) => e.content.length >= 4 || e === responses.at(-1)),
      JSON.stringify(responses),
    );
    // The usage-only frame (choices: []) came after the final chunk and was read, not an error.
    assert.equal(first.outcome.state.usage?.completion_tokens, first.outcome.state.tokenChunks);
    assert.equal(first.outcome.state.finishReason, "stop");

    await round(fake.url, {}, { client });
    const requests = (await fake.records()).filter((r) => r.event === "request");
    assert.equal(requests.length, 2);
    assert.equal(
      requests[0].client_port,
      requests[1].client_port,
      "the second request reused the connection",
    );
    assert.equal((requests[0].body as { stream: boolean }).stream, true);
  } finally {
    client.close();
    await fake.stop();
  }
});

Deno.test("streamRound splits inline <think> tags cut across chunks, with data: lines without a space and CRLF", async () => {
  for (const size of ["3", "5"]) {
    const fake = await startFakeServer({
      FAKE_MLX_REASONING: "tags",
      FAKE_MLX_CHUNK_CHARS: size,
      FAKE_MLX_SSE_COMPACT: "1",
      FAKE_MLX_TOKEN_DELAY_MS: "0",
    });
    try {
      const got = await round(fake.url);
      assert.equal(got.outcome.error, null);
      assert.equal(got.thinking, "Let me think about this step by step.", `chunks of ${size}`);
      assert.equal(got.response, `You said: ${USER[0].content}`, `chunks of ${size}`);
      assert.equal(got.events.filter((e) => e.type === "thinking_done").length, 1);
    } finally {
      await fake.stop();
    }
  }
});

Deno.test("streamRound merges a tool call streamed in fragments into one call", async () => {
  const fake = await startFakeServer({
    FAKE_MLX_TOOL_CALL: "1",
    FAKE_MLX_TOOL_CALL_FRAGMENTS: "1",
    FAKE_MLX_CHUNK_CHARS: "3",
    FAKE_MLX_TOOL_ARGS: '{"location": "Tokyo, Japan"}',
  });
  try {
    const got = await round(fake.url, { tools: [{ type: "function", function: { name: "get_weather" } }] });
    assert.equal(got.outcome.error, null);
    const calls = got.events.filter((e) => e.type === "tool_call");
    assert.equal(calls.length, 1);
    const call =
      (calls[0] as { tool_call: { id: string; function: { name: string; arguments: string } } }).tool_call;
    assert.match(call.id, /^call_\d+$/);
    assert.equal(call.function.name, "get_weather");
    assert.deepEqual(JSON.parse(call.function.arguments), { location: "Tokyo, Japan" });
    assert.equal(got.events.at(-1)!.type, "tool_calls_done");
    assert.equal(got.outcome.state.finishReason, "tool_calls");
  } finally {
    await fake.stop();
  }
});

Deno.test("streamRound reports an in-stream error object once and keeps the partial answer", async () => {
  const fake = await startFakeServer({ FAKE_MLX_STREAM_ERROR: "1" });
  try {
    const got = await round(fake.url);
    assert.equal(
      got.outcome.error,
      "The model server reported an error: Failed to generate text response: simulated failure",
    );
    assert.equal(got.response, "You ");
    assert.equal(
      got.events.filter((e) => e.type === "error").length,
      0,
      "the caller sends the one error event",
    );
  } finally {
    await fake.stop();
  }
});

Deno.test("streamRound reports a server that dies in the middle of the answer", async () => {
  const fake = await startFakeServer({ FAKE_MLX_FAIL: "crash_mid_stream" });
  try {
    const got = await round(fake.url);
    assert.match(got.outcome.error!, /stopped in the middle of the answer: it may have crashed/);
    assert.equal(got.outcome.aborted, false);
    assert.equal((await fake.exited).signal, "SIGKILL");
  } finally {
    await fake.stop();
  }
});

Deno.test("streamRound closes the upstream request when the caller aborts, and says nothing more", async () => {
  const fake = await startFakeServer({ FAKE_MLX_TOKEN_DELAY_MS: "40", FAKE_MLX_REPLY: "word ".repeat(200) });
  try {
    const abort = new AbortController();
    const batches: ChatEvent[][] = [];
    const outcome = await streamRound({
      baseUrl: fake.url,
      body: { model: "m", messages: USER },
      idleTimeoutMs: 10_000,
      signal: abort.signal,
      onEvents: (events) => {
        batches.push(events);
        abort.abort();
      },
    });
    assert.equal(outcome.aborted, true);
    assert.equal(outcome.error, null);
    assert.equal(batches.length, 1, "no events after the abort");
    await fake.waitForRecord((r) => r.event === "client_closed");
  } finally {
    await fake.stop();
  }
});

Deno.test("streamRound gives up on a silent server after the idle timeout and hangs up", async () => {
  const fake = await startFakeServer({ FAKE_MLX_TOKEN_DELAY_MS: "5000" });
  try {
    const got = await round(fake.url, {}, { idleTimeoutMs: 300 });
    assert.equal(
      got.outcome.error,
      "Request timed out: the model server sent nothing for 0.3 s. It may still be busy with a long request",
    );
    await fake.waitForRecord((r) => r.event === "client_closed");
  } finally {
    await fake.stop();
  }
});

Deno.test("streamRound explains a server that is not listening", async () => {
  const port = freePort();
  const got = await round(`http://127.0.0.1:${port}`);
  assert.match(
    got.outcome.error!,
    new RegExp(
      `^Failed to connect to the MLX server at 127\\.0\\.0\\.1:${port}: it is not running or is still loading`,
    ),
  );
  assert.deepEqual(got.events, []);
});

Deno.test("streamRound explains a request the server rejects before streaming", async () => {
  const fake = await startFakeServer();
  try {
    const got = await round(fake.url, { messages: [{ role: "developer", content: "x" }] });
    assert.equal(
      got.outcome.error,
      "The model server refused the request (HTTP 422): messages[0].role: Input should be 'system', 'user', 'assistant' or 'tool'",
    );
  } finally {
    await fake.stop();
  }
});

Deno.test("describeHttpError reads the error shapes of mlx-openai-server", () => {
  assert.equal(
    describeHttpError(
      429,
      '{"detail":{"error":{"message":"Too many requests. Service is at capacity.","type":"rate_limit_exceeded","code":"429"}}}',
    ),
    "The model server is busy (HTTP 429): Too many requests. Service is at capacity.",
  );
  assert.equal(
    describeHttpError(
      503,
      '{"error":{"message":"Model handler not initialized","type":"service_unavailable"}}',
    ),
    "The model server failed (HTTP 503): Model handler not initialized",
  );
  assert.equal(
    describeHttpError(404, '{"detail":"Not Found"}'),
    "The model server refused the request (HTTP 404): Not Found",
  );
  assert.equal(describeHttpError(502, "Bad gateway"), "The model server failed (HTTP 502): Bad gateway");
});
