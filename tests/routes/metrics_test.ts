import assert from "node:assert/strict";
import OpenAI from "openai";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { startGateway } from "./v1/setup.ts";
import { createUser, json } from "../helpers/auth.ts";
import { waitFor } from "../helpers/net.ts";

const TOKEN = "scrape-token-0123456789";
const hello = [{ role: "user" as const, content: "hi" }];

interface Family {
  name: string;
  type: string;
  metrics: {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }[];
}

async function scrape(url: string, bearer: string | null): Promise<Response> {
  return await fetch(`${url}/metrics`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
}

function family(families: Family[], name: string): Family {
  const found = families.find((f) => f.name === name);
  assert.ok(found, `${name} is exported`);
  return found;
}

function sample(f: Family, labels: Record<string, string>) {
  return f.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

Deno.test("GET /metrics answers an admin's key, an admin's session or the metrics token; 401 without, 403 for a user", async () => {
  await using gw = await startGateway({ MLX_MANAGER_METRICS_TOKEN: TOKEN });
  const admin = await gw.key();
  const user = await createUser(gw.rt);
  const userKey = await gw.key({}, user);
  const none = await scrape(gw.url, null);
  assert.equal(none.status, 401);
  assert.match(none.headers.get("www-authenticate")!, /^Bearer/);
  await none.body?.cancel();
  for (
    const wrong of ["not-the-token-at-all", `${TOKEN}x`, "mlxm_00000000_00000000000000000000000000000000"]
  ) {
    const res = await scrape(gw.url, wrong);
    assert.equal(res.status, 401, wrong);
    await res.body?.cancel();
  }
  for (const denied of [userKey.key, user.token]) {
    const res = await scrape(gw.url, denied);
    assert.equal(res.status, 403);
    await res.body?.cancel();
  }
  for (const allowed of [TOKEN, admin.key, gw.admin.token]) {
    const res = await scrape(gw.url, allowed);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
    assert.match(await res.text(), /^# HELP mlx_manager_/m);
  }
  // A foreign Host is refused before anything reads the credentials, as everywhere.
  const foreign = await gw.rt.app.request("/metrics", {
    headers: { host: "attacker.example", authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(foreign.status, 421);
});

Deno.test("GET /metrics counts the requests, tokens and first tokens sent, read by a Prometheus text parser", async () => {
  await using gw = await startGateway({ MLX_MANAGER_METRICS_TOKEN: TOKEN });
  await gw.profile({ name: "m" });
  const client = gw.client((await gw.key()).key);
  let prompt = 0;
  let completion = 0;
  for (let i = 0; i < 3; i++) {
    const answer = await client.chat.completions.create({ model: "m", messages: hello });
    prompt += answer.usage!.prompt_tokens;
    completion += answer.usage!.completion_tokens;
  }
  const stream = await client.chat.completions.create({ model: "m", messages: hello, stream: true });
  for await (const chunk of stream) {
    prompt += chunk.usage?.prompt_tokens ?? 0;
    completion += chunk.usage?.completion_tokens ?? 0;
  }
  await assert.rejects(client.chat.completions.create({ model: "no-such-model", messages: hello }));
  const limited = gw.client((await gw.key({ limits: { rpm: 1 } })).key);
  await limited.chat.completions.create({ model: "m", messages: hello });
  await assert.rejects(
    limited.chat.completions.create({ model: "m", messages: hello }),
    OpenAI.RateLimitError,
  );
  const up = await gw.rt.app.request(
    "/api/upstreams",
    json("POST", {
      name: "studio",
      kind: "openai",
      base_url: "http://127.0.0.1:1/v1",
      models: "discover",
      enabled: true,
    }, gw.admin.headers),
  );
  assert.equal(up.status, 201);
  await waitFor(() => gw.rt.deps.gateway.inFlight === 0, "every answer ended");

  const res = await scrape(gw.url, TOKEN);
  assert.equal(res.status, 200);
  const text = await res.text();
  const families: Family[] = parsePrometheusTextFormat(text);
  const requests = family(families, "mlx_manager_requests_total");
  assert.equal(requests.type, "COUNTER");
  const chat = { endpoint: "/v1/chat/completions" };
  assert.equal(Number(sample(requests, { ...chat, model: "m", status: "200" })?.value), 5);
  assert.equal(Number(sample(requests, { ...chat, model: "", status: "404" })?.value), 1);
  assert.equal(Number(sample(requests, { ...chat, model: "", status: "429" })?.value), 1);

  const tokens = family(families, "mlx_manager_tokens_total");
  const limitedUsage = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 1, status: 200 })
    .data[0];
  assert.equal(
    Number(sample(tokens, { model: "m", kind: "prompt" })?.value),
    prompt + limitedUsage.prompt_tokens!,
  );
  assert.equal(
    Number(sample(tokens, { model: "m", kind: "completion" })?.value),
    completion + limitedUsage.completion_tokens!,
  );

  const duration = family(families, "mlx_manager_request_duration_seconds");
  assert.equal(duration.type, "HISTOGRAM");
  assert.equal(family(families, "mlx_manager_first_token_seconds").type, "HISTOGRAM");
  // The parser folds a histogram's labelled series into one; read its samples as untyped families instead.
  const samples: Family[] = parsePrometheusTextFormat(
    text.replace(/^# TYPE (\S+) histogram$/gm, "# TYPE $1 untyped"),
  );
  const series = (name: string, labels: Record<string, string>) =>
    Number(sample(family(samples, name), labels)?.value);
  assert.equal(series("mlx_manager_request_duration_seconds_count", { ...chat, model: "m" }), 5);
  assert.equal(series("mlx_manager_request_duration_seconds_bucket", { ...chat, model: "m", le: "+Inf" }), 5);
  assert.ok(series("mlx_manager_request_duration_seconds_sum", { ...chat, model: "m" }) > 0);
  assert.equal(series("mlx_manager_first_token_seconds_count", { model: "m" }), 1, "only the stream has one");

  assert.equal(Number(sample(family(families, "mlx_manager_in_flight"), { profile: "m" })?.value), 0);
  assert.equal(Number(sample(family(families, "mlx_manager_queue_depth"), { profile: "m" })?.value), 0);
  assert.equal(Number(sample(family(families, "mlx_manager_model_loaded"), { profile: "m" })?.value), 1);
  assert.equal(Number(family(families, "mlx_manager_models_loaded").metrics[0].value), 1);
  assert.ok(sample(family(families, "mlx_manager_model_memory_bytes"), { profile: "m" }));
  const upstream = family(families, "mlx_manager_upstream_state").metrics.filter((m) =>
    m.labels?.upstream === "studio"
  );
  assert.equal(upstream.length, 4);
  assert.equal(upstream.reduce((n, m) => n + Number(m.value), 0), 1, "exactly one state holds");

  assert.ok(Number(family(families, "mlx_manager_process_cpu_seconds_total").metrics[0].value) > 0);
  assert.ok(Number(family(families, "mlx_manager_process_resident_memory_bytes").metrics[0].value) > 1e6);
  assert.ok(!families.some((f) => f.name === "mlx_manager_nodejs_gc_duration_seconds"));
});
