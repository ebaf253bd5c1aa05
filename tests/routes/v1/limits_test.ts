import assert from "node:assert/strict";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { startGateway } from "./setup.ts";
import { createUser, json } from "../../helpers/auth.ts";
import { waitFor } from "../../helpers/net.ts";

const hello = [{ role: "user" as const, content: "hi" }];

function isLimit(code: string, message?: RegExp) {
  return (e: unknown) =>
    e instanceof OpenAI.RateLimitError && e.status === 429 && e.code === code &&
    e.type === "rate_limit_error" &&
    (!message || message.test(e.message));
}

function rows(gw: Awaited<ReturnType<typeof startGateway>>) {
  return gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 200 }).data;
}

Deno.test("/v1 limits: rpm alone refuses the request past it with a 429 in OpenAI's shape and records it", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "m" });
  const { key, id } = await gw.key({ limits: { rpm: 3 } });
  const client = gw.client(key);
  for (let i = 0; i < 3; i++) await client.chat.completions.create({ model: "m", messages: hello });
  const refused = await client.chat.completions.create({ model: "m", messages: hello }).catch((e) => e);
  assert.ok(isLimit("rate_limit_exceeded", /3 requests a minute/)(refused), String(refused));
  const retry = Number(refused.headers.get("retry-after"));
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After ${retry}`);
  assert.equal(refused.headers.get("x-ratelimit-remaining-requests"), "0");
  assert.equal(refused.headers.get("x-ratelimit-limit-requests"), "3");
  const limited = rows(gw).filter((r) => r.outcome === "rate_limited");
  assert.equal(limited.length, 1);
  assert.equal(limited[0].status, 429);
  assert.equal(limited[0].key_id, id);
});

Deno.test("/v1 limits: the x-ratelimit headers count down with each request", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "m" });
  const { key } = await gw.key({ limits: { rpm: 5, tpm: 100_000 } });
  const client = gw.client(key);
  const seen: { requests: number; tokens: number; reset: string | null }[] = [];
  for (let i = 0; i < 3; i++) {
    const { response } = await client.chat.completions.create({ model: "m", messages: hello }).withResponse();
    assert.equal(response.headers.get("x-ratelimit-limit-requests"), "5");
    assert.equal(response.headers.get("x-ratelimit-limit-tokens"), "100000");
    seen.push({
      requests: Number(response.headers.get("x-ratelimit-remaining-requests")),
      tokens: Number(response.headers.get("x-ratelimit-remaining-tokens")),
      reset: response.headers.get("x-ratelimit-reset-requests"),
    });
  }
  assert.deepEqual(seen.map((s) => s.requests), [4, 3, 2]);
  assert.ok(seen[0].tokens > seen[1].tokens && seen[1].tokens > seen[2].tokens, JSON.stringify(seen));
  assert.ok(seen.every((s) => /^(\d+ms|\d+s|\d+m\d+s)$/.test(s.reset ?? "")), JSON.stringify(seen));
  // A key without limits gets none of the headers.
  const free = await gw.key();
  const { response } = await gw.client(free.key).chat.completions.create({ model: "m", messages: hello })
    .withResponse();
  assert.equal(response.headers.get("x-ratelimit-limit-requests"), null);
});

Deno.test("/v1 limits: tpm alone counts each answer's usage and refuses once the minute's tokens reach it", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "m" });
  const probe = await gw.client((await gw.key()).key).chat.completions.create({
    model: "m",
    messages: hello,
  });
  const total = probe.usage!.total_tokens;
  assert.ok(total > 0);
  const { key } = await gw.key({ limits: { tpm: total + 1 } });
  const client = gw.client(key);
  await client.chat.completions.create({ model: "m", messages: hello });
  await client.chat.completions.create({ model: "m", messages: hello });
  await assert.rejects(
    client.chat.completions.create({ model: "m", messages: hello }),
    isLimit("rate_limit_exceeded", new RegExp(`${total + 1} tokens a minute`)),
  );
});

Deno.test("/v1 limits: max_parallel alone refuses a second request while the first streams", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "slow" }, { reply: "word ".repeat(60), token_delay_ms: 20 });
  const { key } = await gw.key({ limits: { max_parallel: 1 } });
  const client = gw.client(key);
  const stream = await client.chat.completions.create({ model: "slow", messages: hello, stream: true });
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next();
  await assert.rejects(
    client.chat.completions.create({ model: "slow", messages: hello }),
    isLimit("rate_limit_exceeded", /1 requests at once/),
  );
  while (!(await iterator.next()).done) { /* the rest of the stream */ }
  await waitFor(() => gw.rt.deps.gateway.inFlight === 0, "the stream ended");
  const answer = await client.chat.completions.create({ model: "slow", messages: hello });
  assert.ok(answer.choices[0].message.content!.startsWith("word"));
});

Deno.test("/v1 limits: a spent budget answers budget_exceeded until its period ends, not to be retried", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "m" });
  const { key } = await gw.key({ limits: { budget_tokens: 5, budget_period: "day" } });
  const client = gw.client(key, { maxRetries: 2 });
  await client.chat.completions.create({ model: "m", messages: hello });
  const refused = await client.chat.completions.create({ model: "m", messages: hello }).catch((e) => e);
  assert.ok(
    isLimit("budget_exceeded", /5 tokens a day\) is spent; it renews at \d{4}-/)(refused),
    String(refused),
  );
  assert.equal(refused.headers.get("x-should-retry"), "false");
  const end = Date.parse(refused.headers.get("x-mlx-manager-budget-resets-at"));
  const retry = Number(refused.headers.get("retry-after"));
  assert.ok(retry >= 1 && retry <= 86_400 + 3600, `Retry-After ${retry}`);
  assert.ok(Math.abs(Date.now() + retry * 1000 - end) < 2000);
  // x-should-retry: false means the client sent it once, so one row.
  assert.equal(rows(gw).filter((r) => r.outcome === "rate_limited").length, 1);
});

Deno.test("/v1 limits: together on one key, the limit reached first refuses, and both header trios come", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "m" });
  const { key } = await gw.key({
    limits: { rpm: 2, tpm: 1_000_000, max_parallel: 4, budget_tokens: 1_000_000, budget_period: "month" },
  });
  const client = gw.client(key);
  const { response } = await client.chat.completions.create({ model: "m", messages: hello }).withResponse();
  assert.equal(response.headers.get("x-ratelimit-remaining-requests"), "1");
  assert.ok(Number(response.headers.get("x-ratelimit-remaining-tokens")) < 1_000_000);
  await client.chat.completions.create({ model: "m", messages: hello });
  await assert.rejects(
    client.chat.completions.create({ model: "m", messages: hello }),
    isLimit("rate_limit_exceeded", /2 requests a minute/),
  );
});

Deno.test("/v1 limits: of 30 simultaneous requests on a key with rpm 10, exactly 10 go through", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "m" });
  const { key } = await gw.key({ limits: { rpm: 10 } });
  const client = gw.client(key);
  const results = await Promise.allSettled(
    Array.from({ length: 30 }, () => client.chat.completions.create({ model: "m", messages: hello })),
  );
  const ok = results.filter((r) => r.status === "fulfilled").length;
  const limited = results.filter((r) => r.status === "rejected" && isLimit("rate_limit_exceeded")(r.reason));
  assert.equal(ok, 10);
  assert.equal(limited.length, 20);
});

Deno.test("/v1 limits: a user's rpm binds two of their keys together; a user may not raise a key past it", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "m" });
  const user = await createUser(gw.rt);
  const set = await gw.rt.app.request(
    `/api/auth/users/${user.id}`,
    json("PUT", { limits: { rpm: 3 } }, gw.admin.headers),
  );
  assert.equal(set.status, 200);
  assert.equal((await set.json()).limits.rpm, 3);
  const a = gw.client((await gw.key({}, user)).key);
  const b = gw.client((await gw.key({}, user)).key);
  await a.chat.completions.create({ model: "m", messages: hello });
  await a.chat.completions.create({ model: "m", messages: hello });
  await b.chat.completions.create({ model: "m", messages: hello });
  await assert.rejects(
    b.chat.completions.create({ model: "m", messages: hello }),
    isLimit("rate_limit_exceeded", /your account: 3 requests a minute/),
  );
  // The user's session is bound by the same limit.
  await assert.rejects(
    gw.client(user.token).chat.completions.create({ model: "m", messages: hello }),
    isLimit("rate_limit_exceeded"),
  );
  const above = await gw.rt.app.request(
    "/api/keys",
    json("POST", { name: "k", limits: { rpm: 10 } }, user.headers),
  );
  assert.equal(above.status, 422);
  assert.match((await above.json()).fields["limits.rpm"], /At most 3/);
});

Deno.test("/v1 limits: a limited key's stream is counted with the tokens of its end", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "slow" }, { reply: "word ".repeat(40), token_delay_ms: 10 });
  const probe = await gw.client((await gw.key()).key).chat.completions.create({
    model: "slow",
    messages: hello,
    stream: true,
  });
  let total = 0;
  for await (const chunk of probe) total = chunk.usage?.total_tokens ?? total;
  assert.ok(total > 10, `the stream's usage: ${total}`);
  const { key, id } = await gw.key({ limits: { tpm: 100_000, budget_tokens: total, budget_period: "week" } });
  const client = gw.client(key);
  const { data: stream, response } = await client.chat.completions.create({
    model: "slow",
    messages: hello,
    stream: true,
  }).withResponse();
  // While it streams only its prompt's estimate is counted.
  const estimate = 100_000 - Number(response.headers.get("x-ratelimit-remaining-tokens"));
  assert.ok(estimate > 0 && estimate < total, `estimate ${estimate}, total ${total}`);
  for await (const _ of stream) { /* to its end */ }
  const row = await waitFor(
    () => rows(gw).find((r) => r.key_id === id && r.stream && r.outcome === "ok"),
    "the stream's row",
  );
  assert.equal((row.prompt_tokens ?? 0) + (row.completion_tokens ?? 0), total);
  // At its end the answer's count replaced the estimate: the minute holds `total`, the budget is spent.
  const refused = await client.chat.completions.create({ model: "slow", messages: hello }).catch((e) => e);
  assert.ok(isLimit("budget_exceeded")(refused), String(refused));
  assert.equal(Number(refused.headers.get("x-ratelimit-remaining-tokens")), 100_000 - total);
});

Deno.test("/v1 limits: embeddings pass the same limits as chat", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "e", model_type: "embeddings" });
  const { key } = await gw.key({ limits: { rpm: 1 } });
  const client = gw.client(key);
  await client.embeddings.create({ model: "e", input: "one" });
  await assert.rejects(
    client.embeddings.create({ model: "e", input: "two" }),
    isLimit("rate_limit_exceeded"),
  );
});

Deno.test("/v1 limits: the agents' endpoints count against the same limits, refuse in their own shape and carry the headers", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "m" });
  const { key } = await gw.key({ limits: { rpm: 3 } });
  const anthropic = new Anthropic({ baseURL: gw.url, apiKey: key, maxRetries: 0 });
  const message = { model: "m", max_tokens: 64, messages: [{ role: "user" as const, content: "hi" }] };
  // A JSON answer and a stream each carry the caller's figures.
  const { response: first } = await anthropic.messages.create(message).withResponse();
  assert.equal(first.headers.get("x-ratelimit-limit-requests"), "3");
  assert.equal(first.headers.get("x-ratelimit-remaining-requests"), "2");
  const stream = await anthropic.messages.create({ ...message, stream: true }).withResponse();
  assert.equal(stream.response.headers.get("x-ratelimit-remaining-requests"), "1");
  for await (const _ of stream.data) { /* read to the end */ }
  // The Responses endpoint takes the third request of the minute.
  const { response: third } = await gw.client(key).responses.create({ model: "m", input: "hi" })
    .withResponse();
  assert.equal(third.headers.get("x-ratelimit-remaining-requests"), "0");
  const refused = await anthropic.messages.create(message).catch((e) => e);
  assert.ok(refused instanceof Anthropic.RateLimitError, String(refused));
  assert.equal(refused.status, 429);
  assert.equal((refused.error as { error: { type: string } }).error.type, "rate_limit_error");
  assert.match(refused.message, /3 requests a minute/);
  const retry = Number(refused.headers.get("retry-after"));
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After ${retry}`);
  assert.equal(refused.headers.get("x-ratelimit-remaining-requests"), "0");
  await assert.rejects(
    gw.client(key).responses.create({ model: "m", input: "hi" }),
    isLimit("rate_limit_exceeded", /3 requests a minute/),
  );
  const limited = rows(gw).filter((r) => r.outcome === "rate_limited");
  assert.deepEqual(limited.map((r) => r.endpoint).sort(), ["/v1/messages", "/v1/responses"]);
});
