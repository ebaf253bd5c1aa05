import assert from "node:assert/strict";
import OpenAI from "openai";
import { type Gateway, startGateway } from "./setup.ts";
import { json } from "../../helpers/auth.ts";
import { waitFor } from "../../helpers/net.ts";
import { startFakeServer } from "../../helpers/fake_server.ts";
import type { UpstreamView } from "../../../lib/upstream_types.ts";

/** Registers `peer` as an upstream of `front` with a key of the peer, and waits until its models are known. */
async function addPeer(front: Gateway, peer: Gateway, name = "studio", key?: string): Promise<UpstreamView> {
  const res = await front.rt.app.request(
    "/api/upstreams",
    json("POST", {
      name,
      kind: "mlx-manager",
      base_url: `${peer.url}/v1`,
      api_key: key ?? (await peer.key({ name: "front door" })).key,
    }, front.admin.headers),
  );
  assert.equal(res.status, 201);
  const created: UpstreamView = await res.json();
  return await waitFor(() => {
    const view = front.rt.deps.upstreams.get(created.id);
    return view.state !== "unknown" && view;
  }, `${name} probed`);
}

async function chat(client: OpenAI, model: string) {
  const completion = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: "hi" }],
  });
  return completion.choices[0].message.content;
}

Deno.test("/v1 upstreams: a second MLX Manager's model is served by <upstream>/<model> and by its bare name", async () => {
  await using peer = await startGateway();
  await using front = await startGateway();
  await peer.profile({ name: "qwen-small" }, { reply: "Hello from the studio." });
  const upstream = await addPeer(front, peer);
  assert.equal(upstream.state, "online");
  assert.deepEqual(upstream.served.map((m) => m.id), ["qwen-small"]);
  assert.equal(upstream.served[0].loaded, false, "the peer says its model is not loaded yet");

  const { key } = await front.key();
  const client = front.client(key);
  const ids = (await client.models.list()).data.map((m) => m.id);
  assert.ok(ids.includes("studio/qwen-small"), ids.join());
  assert.ok(ids.includes("qwen-small"), "the bare name is listed: nothing else has it");
  const entry = await client.models.retrieve("studio/qwen-small") as unknown as {
    owned_by: string;
    mlx_manager: { upstream: string; remote_id: string; upstream_state: string };
  };
  assert.equal(entry.owned_by, "studio");
  assert.deepEqual(
    [entry.mlx_manager.upstream, entry.mlx_manager.remote_id, entry.mlx_manager.upstream_state],
    ["studio", "qwen-small", "online"],
  );

  assert.equal(await chat(client, "studio/qwen-small"), "Hello from the studio.");
  assert.equal(await chat(client, "qwen-small"), "Hello from the studio.");

  // The stream reaches the client as the peer sent it.
  const body = (model: string) =>
    JSON.stringify({ model, messages: [{ role: "user", content: "x" }], stream: true });
  const viaFront = await (await fetch(`${front.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body("studio/qwen-small"),
  })).text();
  const { key: peerKey } = await peer.key();
  const direct = await (await fetch(`${peer.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${peerKey}`, "content-type": "application/json" },
    body: body("qwen-small"),
  })).text();
  const mask = (s: string) => s.replace(/chatcmpl_\d+/g, "ID").replace(/"created": \d+/g, '"created": 0');
  assert.equal(mask(viaFront), mask(direct));
  assert.ok(viaFront.endsWith("data: [DONE]\n\n"));

  const rows = await waitFor(() => {
    const page = front.rt.deps.activity.list({ id: front.admin.id, isAdmin: true }, { limit: 10 });
    return page.data.length >= 3 && page.data;
  }, "three activity rows");
  for (const row of rows) {
    assert.equal(row.upstream, "studio");
    assert.equal(row.profile_id, null);
    assert.equal(row.outcome, "ok");
    assert.equal(row.user_id, front.admin.id);
  }
  assert.deepEqual(rows.map((r) => r.model), ["studio/qwen-small", "qwen-small", "studio/qwen-small"]);
  assert.ok(rows[0].stream && rows[0].completion_tokens! > 0, "the stream's usage was observed");
  const peerRows = peer.rt.deps.activity.list({ id: peer.admin.id, isAdmin: true }, { limit: 10 }).data;
  assert.equal(peerRows.filter((r) => r.model === "qwen-small").length, 4, "the peer served them as its own");

  const loaded = await waitFor(async () => {
    const view = await front.rt.deps.upstreams.check(upstream.id);
    return view.served[0]?.loaded === true && view.served[0];
  }, "the peer reports its model loaded");
  assert.equal(loaded.state, "running");
  assert.ok((loaded.in_flight ?? -1) >= 0);
});

Deno.test("/v1 upstreams: a stopped upstream answers 503 with Retry-After within its timeout, and is served once back", async () => {
  await using peer = await startGateway();
  await using front = await startGateway({ MLX_MANAGER_UPSTREAM_CONNECT_TIMEOUT: "2" });
  await peer.profile({ name: "remote-only" }, { reply: "Back again." });
  const upstream = await addPeer(front, peer);
  const { key } = await front.key();
  const client = front.client(key);
  assert.equal(await chat(client, "remote-only"), "Back again.");

  await peer.unplug();
  const t0 = Date.now();
  const error = await client.chat.completions.create({
    model: "studio/remote-only",
    messages: [{ role: "user", content: "hi" }],
  }).catch((e) => e);
  const elapsed = Date.now() - t0;
  assert.ok(error instanceof OpenAI.APIError, String(error));
  assert.equal(error.status, 503);
  assert.equal(error.code, "upstream_unavailable");
  assert.match(error.message, /studio/);
  assert.equal(error.headers?.get("retry-after"), "2");
  assert.ok(elapsed < 2000, `answered in ${elapsed} ms, within the 2 s connect timeout`);
  assert.equal(front.rt.deps.upstreams.get(upstream.id).state, "offline");
  const failed = front.rt.deps.activity.list({ id: front.admin.id, isAdmin: true }, { limit: 1 }).data[0];
  assert.equal(failed.status, 503);
  assert.equal(failed.upstream, "studio");
  assert.equal(failed.outcome, "upstream_error");

  // The health job notices on its own, and sees it come back.
  await front.rt.start();
  peer.plugIn();
  await waitFor(() => front.rt.deps.upstreams.get(upstream.id).state === "online", "online again");
  assert.equal(await chat(client, "studio/remote-only"), "Back again.");
});

Deno.test("/v1 upstreams: a request to an upstream that went away is served by the next source, once", async () => {
  await using peer = await startGateway();
  await using front = await startGateway({}, { upstreamTiming: { healthMs: 600_000, discoverMs: 600_000 } });
  await peer.profile({ name: "shared", keep_loaded: true }, { reply: "From the studio." });
  await front.profile({ name: "shared" }, { reply: "From this Mac." });
  const { key } = await front.key();
  const client = front.client(key);
  const upstream = await addPeer(front, peer);
  assert.equal(upstream.served[0].loaded, false);
  assert.equal(await chat(client, "shared"), "From this Mac.", "neither is loaded: the local profile first");

  // Loaded on the peer but not here: the loaded one first.
  await front.rt.deps.supervisor.stop(front.rt.deps.profiles.list()[0].id);
  assert.equal(await chat(client, "studio/shared"), "From the studio.");
  await waitFor(
    async () => (await front.rt.deps.upstreams.check(upstream.id)).served[0]?.loaded,
    "loaded there",
  );
  assert.equal(await chat(client, "shared"), "From the studio.");

  // Gone before any probe noticed: the connection fails before a byte was sent, and the local profile answers.
  await peer.unplug();
  assert.equal(front.rt.deps.upstreams.get(upstream.id).state, "online");
  assert.equal(await chat(client, "shared"), "From this Mac.");
  const row = front.rt.deps.activity.list({ id: front.admin.id, isAdmin: true }, { limit: 1 }).data[0];
  assert.equal(row.upstream, null);
  assert.equal(row.profile_id, front.rt.deps.profiles.list()[0].id);
  assert.equal(front.rt.deps.upstreams.get(upstream.id).state, "offline");
});

Deno.test("/v1 upstreams: a wrong key of the peer leaves the upstream auth_failed with the peer's message", async () => {
  await using peer = await startGateway();
  await using front = await startGateway();
  await peer.profile({ name: "guarded" });
  const upstream = await addPeer(front, peer, "studio", "mlxm_wrong-key-of-the-studio");
  assert.equal(upstream.state, "auth_failed");
  assert.match(upstream.last_error ?? "", /refused the key \(HTTP 401\)/);
  const { key } = await front.key();
  const error = await front.client(key).chat.completions.create({
    model: "studio/guarded",
    messages: [{ role: "user", content: "hi" }],
  }).catch((e) => e);
  assert.equal(error.status, 404, "nothing was discovered with a key the peer refuses");
});

Deno.test("/v1 upstreams: an openai upstream is the fake model server itself, its models under its name", async () => {
  const fake = await startFakeServer({}, { modelPath: "org/Direct-4bit" });
  try {
    await using front = await startGateway();
    const res = await front.rt.app.request(
      "/api/upstreams",
      json("POST", { name: "direct", kind: "openai", base_url: `${fake.url}/v1` }, front.admin.headers),
    );
    const { id } = await res.json();
    await waitFor(() => front.rt.deps.upstreams.get(id).state === "online", "online");
    const { key } = await front.key();
    const client = front.client(key);
    const ids = (await client.models.list()).data.map((m) => m.id);
    assert.deepEqual(ids, ["direct/org/Direct-4bit", "org/Direct-4bit"]);
    const stream = await client.chat.completions.create({
      model: "direct/org/Direct-4bit",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    assert.ok(text.length > 0);
    // The server got the model under its own id, not the qualified name.
    await fake.waitForRecord((r) => (r.body as { model?: string })?.model === "org/Direct-4bit");
    assert.equal(await chat(client, "org/Direct-4bit") !== null, true, "the bare name is served too");
  } finally {
    await fake.stop();
  }
});

Deno.test("/v1 upstreams: a key may list remote models, and then uses only those", async () => {
  await using peer = await startGateway();
  await using front = await startGateway();
  await peer.profile({ name: "remote-a" }, { reply: "A." });
  await peer.profile({ name: "remote-b" }, { reply: "B." });
  await front.profile({ name: "local-c" });
  await addPeer(front, peer);
  const refused = await front.rt.app.request(
    "/api/keys",
    json("POST", { name: "narrow", models: ["studio/nowhere"] }, front.admin.headers),
  );
  assert.equal(refused.status, 422, "an unknown remote name is refused like an unknown profile");
  const { key } = await front.key({ name: "narrow", models: ["studio/remote-a"] });
  const client = front.client(key);
  assert.deepEqual((await client.models.list()).data.map((m) => m.id), ["studio/remote-a", "remote-a"]);
  assert.equal(await chat(client, "remote-a"), "A.");
  for (const model of ["studio/remote-b", "local-c"]) {
    const error = await chat(client, model).catch((e) => e);
    assert.equal(error.status, 403, model);
    assert.equal(error.code, "model_not_allowed");
  }
});

Deno.test("/v1 upstreams: a peer that revokes this manager's key answers 502 upstream_auth_failed, not the caller's 401", async () => {
  await using peer = await startGateway();
  await using front = await startGateway();
  await peer.profile({ name: "guarded" }, { reply: "Still here." });
  const peerKey = await peer.key({ name: "front door" });
  const upstream = await addPeer(front, peer, "studio", peerKey.key);
  const { key } = await front.key();
  const client = front.client(key);
  assert.equal(await chat(client, "studio/guarded"), "Still here.");

  const revoked = await peer.rt.app.request(`/api/keys/${peerKey.id}`, {
    method: "DELETE",
    headers: peer.admin.headers,
  });
  assert.equal(revoked.status, 204);
  const error = await chat(client, "studio/guarded").catch((e) => e);
  assert.ok(error instanceof OpenAI.APIError);
  assert.equal(error.status, 502);
  assert.equal(error.code, "upstream_auth_failed");
  assert.match(error.message, /studio.*refused this manager's key/);
  const view = await front.rt.deps.upstreams.check(upstream.id);
  assert.equal(view.state, "auth_failed");
  assert.deepEqual(view.served.map((m) => m.id), ["guarded"], "the models known before are kept");
});

Deno.test("/v1 upstreams: a peer's full queue answers 429 queue_full with its Retry-After through the front", async () => {
  await using peer = await startGateway();
  await using front = await startGateway();
  const busy = await peer.profile({ name: "busy", max_concurrency: 1, queue_size: 1, queue_timeout: 30 });
  await addPeer(front, peer);
  const { supervisor } = peer.rt.deps;
  const held = await supervisor.acquire(busy.id);
  const waiting = supervisor.acquire(busy.id);
  await waitFor(() => supervisor.status(busy.id).queued === 1, "the peer's queue is full");
  const { key } = await front.key();
  const error = await chat(front.client(key), "studio/busy").catch((e) => e);
  assert.ok(error instanceof OpenAI.APIError);
  assert.equal(error.status, 429);
  assert.equal(error.code, "queue_full");
  assert.ok(Number(error.headers?.get("retry-after")) > 0, "the peer's Retry-After passes through");
  const row = front.rt.deps.activity.list({ id: front.admin.id, isAdmin: true }, { limit: 1 }).data[0];
  assert.deepEqual([row.status, row.upstream, row.outcome], [429, "studio", "upstream_error"]);
  held.release();
  (await waiting).release();
});

/**
 * An OpenAI server on a raw TCP listener: it lists `stuck-model`, and answers
 * a forwarded request by `onRequest` — never (`hang`), with a stream it
 * drops after the first frame (`cut`), or with a head that never ends
 * (`endless_head`). `closed` counts the forwarded requests whose connection
 * the other side closed.
 */
function rawUpstream(onRequest: "hang" | "cut" | "endless_head") {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const enc = new TextEncoder();
  let closed = 0;
  const serve = async (conn: Deno.Conn) => {
    const buffer = new Uint8Array(65536);
    let head = "";
    while (!head.includes("\r\n\r\n")) {
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) return conn.close();
      head += new TextDecoder().decode(buffer.subarray(0, n));
    }
    if (head.startsWith("GET ")) {
      const body = JSON.stringify({ object: "list", data: [{ id: "stuck-model", object: "model" }] });
      await conn.write(enc.encode(
        `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n` +
          `connection: close\r\n\r\n${body}`,
      ));
      return conn.close();
    }
    if (onRequest === "cut") {
      const frame = `data: ${
        JSON.stringify({ choices: [{ index: 0, delta: { content: "Half an" }, finish_reason: null }] })
      }\n\n`;
      await conn.write(enc.encode(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n" +
          `${frame.length.toString(16)}\r\n${frame}\r\n`,
      ));
      return conn.close();
    }
    if (onRequest === "endless_head") {
      await conn.write(enc.encode("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"));
      const line = enc.encode(`x-filler: ${"a".repeat(1000)}\r\n`);
      // Header lines until the other side stops reading and closes.
      while (await conn.write(line).then(() => true, () => false)) { /* write on */ }
      closed++;
      return conn.close();
    }
    // Never answers; notes when the other side gives up.
    while (await conn.read(buffer).catch(() => null) !== null) { /* read on */ }
    closed++;
    conn.close();
  };
  (async () => {
    for await (const conn of listener) serve(conn);
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    closed: () => closed,
    close: () => listener.close(),
  };
}

async function addRaw(front: Gateway, url: string): Promise<void> {
  const res = await front.rt.app.request(
    "/api/upstreams",
    json("POST", { name: "raw", kind: "openai", base_url: `${url}/v1` }, front.admin.headers),
  );
  assert.equal(res.status, 201);
  const { id } = await res.json();
  await waitFor(() => front.rt.deps.upstreams.get(id).state === "online", "raw online");
}

Deno.test("/v1 upstreams: an upstream that accepts and never answers gets 504 upstream_timeout, and its connection is closed", async () => {
  const raw = rawUpstream("hang");
  try {
    await using front = await startGateway({ MLX_MANAGER_UPSTREAM_ANSWER_TIMEOUT: "1" });
    await addRaw(front, raw.url);
    const { key } = await front.key();
    // Without the answer timeout the client gives up first, after its own 10 s.
    const res = await fetch(`${front.url}/v1/chat/completions`, {
      method: "POST",
      signal: AbortSignal.timeout(10_000),
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "raw/stuck-model",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      }),
    });
    assert.equal(res.status, 504);
    const { error } = await res.json();
    assert.equal(error.code, "upstream_timeout");
    assert.equal(error.type, "server_error");
    assert.equal(error.param, null);
    assert.match(error.message, /raw.*within 1 s/);
    await waitFor(() => raw.closed() === 1, "the upstream's connection closed");
    const row = front.rt.deps.activity.list({ id: front.admin.id, isAdmin: true }, { limit: 1 }).data[0];
    assert.equal(row.status, 504);
    assert.equal(row.upstream, "raw");
    assert.equal(row.outcome, "upstream_error");
  } finally {
    raw.close();
  }
});

Deno.test("/v1 upstreams: an upstream that stops mid-stream ends the client's stream with one error frame and no [DONE]", async () => {
  const raw = rawUpstream("cut");
  try {
    await using front = await startGateway();
    await addRaw(front, raw.url);
    const { key } = await front.key();
    const res = await fetch(`${front.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "stuck-model",
        messages: [{ role: "user", content: "x" }],
        stream: true,
      }),
    });
    assert.equal(res.status, 200);
    const frames = (await res.text()).trim().split("\n\n");
    assert.equal(frames.length, 2, "the upstream's frame, then one error frame");
    assert.equal(JSON.parse(frames[0].slice(6)).choices[0].delta.content, "Half an");
    assert.equal(JSON.parse(frames[1].slice(6)).error.code, "upstream_crashed");
    assert.ok(!frames.some((f) => f.includes("[DONE]")));
    const row = await waitFor(
      () => front.rt.deps.activity.list({ id: front.admin.id, isAdmin: true }, { limit: 1 }).data[0],
      "a row",
    );
    assert.equal(row.upstream, "raw");
    assert.equal(row.outcome, "upstream_crashed");
  } finally {
    raw.close();
  }
});

Deno.test("/v1 upstreams: an upstream whose answer head never ends gets 502 head_too_large, its connection closed", async () => {
  const raw = rawUpstream("endless_head");
  try {
    await using front = await startGateway();
    await addRaw(front, raw.url);
    const { key } = await front.key();
    const res = await fetch(`${front.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "raw/stuck-model", messages: [{ role: "user", content: "hi" }] }),
    });
    assert.equal(res.status, 502);
    assert.equal(res.headers.get("x-mlx-manager-error-source"), "gateway");
    const { error } = await res.json();
    assert.equal(error.code, "head_too_large");
    assert.equal(error.type, "server_error");
    assert.match(error.message, /`raw`.*larger than 64 KiB/);
    // The gateway stopped at the cap and hung up: the upstream's writes failed.
    await waitFor(() => raw.closed() === 1, "the upstream's connection closed");
    const row = front.rt.deps.activity.list({ id: front.admin.id, isAdmin: true }, { limit: 1 }).data[0];
    assert.equal(row.status, 502);
    assert.equal(row.upstream, "raw");
    assert.equal(row.outcome, "upstream_error");
  } finally {
    raw.close();
  }
});
