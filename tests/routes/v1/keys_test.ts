import assert from "node:assert/strict";
import OpenAI from "openai";
import { startGateway } from "./setup.ts";
import { createUser } from "../../helpers/auth.ts";
import { recordUpdates } from "../../helpers/servers.ts";
import { waitFor } from "../../helpers/net.ts";

const hello = [{ role: "user" as const, content: "hi" }];

function isInvalidKey(e: unknown): boolean {
  return e instanceof OpenAI.AuthenticationError && e.status === 401 && e.code === "invalid_api_key";
}

Deno.test("/v1 keys: no key, a wrong, revoked or expired key, a disabled or deleted owner's key → 401 from the next request", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "m" });
  const user = await createUser(gw.rt);
  const { key, id } = await gw.key({}, user);
  const client = gw.client(key);
  assert.ok((await client.models.list()).data.some((m) => m.id === "m"));

  const bare = await fetch(`${gw.url}/v1/models`);
  assert.equal(bare.status, 401);
  assert.equal((await bare.json()).error.code, "invalid_api_key");
  await assert.rejects(
    gw.client(`${key.slice(0, -1)}${key.endsWith("x") ? "y" : "x"}`).models.list(),
    isInvalidKey,
  );
  await assert.rejects(
    gw.client("sk-not-ours").chat.completions.create({ model: "m", messages: hello }),
    isInvalidKey,
  );

  const other = await gw.key({}, user);
  gw.rt.db.prepare("UPDATE api_keys SET expires_at = ? WHERE id = ?").run(
    new Date(Date.now() - 1000).toISOString(),
    other.id,
  );
  await assert.rejects(gw.client(other.key).models.list(), isInvalidKey);

  const res = await gw.rt.app.request(`/api/keys/${id}`, { method: "DELETE", headers: user.headers });
  assert.equal(res.status, 204);
  await assert.rejects(client.models.list(), isInvalidKey);

  const third = await gw.key({}, user);
  assert.ok((await gw.client(third.key).models.list()).data.length > 0);
  gw.rt.deps.accounts.update(gw.admin.id, user.id, { status: "disabled" });
  await assert.rejects(gw.client(third.key).models.list(), isInvalidKey);
  gw.rt.deps.accounts.update(gw.admin.id, user.id, { status: "approved" });
  assert.ok((await gw.client(third.key).models.list()).data.length > 0, "re-enabled owner's key works again");
  gw.rt.deps.accounts.remove(user.id);
  await assert.rejects(gw.client(third.key).models.list(), isInvalidKey);

  const rejected = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 50 }).data
    .filter((r) => r.outcome === "rejected_auth");
  assert.equal(rejected.length, 1, "the refused chat request is recorded once (list calls are not activity)");
  assert.equal(rejected[0].status, 401);
});

Deno.test("/v1 keys: a model outside the key's list is refused with 403 and not listed", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "allowed" });
  const hidden = await gw.profile({ name: "hidden" });
  const { key } = await gw.key({ models: ["allowed"] });
  const client = gw.client(key);
  assert.deepEqual((await client.models.list()).data.map((m) => m.id), ["allowed"]);
  await assert.rejects(
    client.chat.completions.create({ model: "hidden", messages: hello }),
    (e: unknown) => e instanceof OpenAI.PermissionDeniedError && e.code === "model_not_allowed",
  );
  await assert.rejects(client.models.retrieve("hidden"), (e: unknown) => e instanceof OpenAI.NotFoundError);
  assert.equal(gw.rt.deps.supervisor.status(hidden.id).state, "stopped");
  const answer = await client.chat.completions.create({ model: "allowed", messages: hello });
  assert.equal(answer.choices[0].message.content, "You said: hi");
});

Deno.test("/v1 keys: a revoked key's open stream ends with an in-stream api_key_revoked error", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "slow" }, { reply: "word ".repeat(400), token_delay_ms: 25 });
  const { key, id } = await gw.key();
  const stream = await gw.client(key).chat.completions.create({
    model: "slow",
    messages: hello,
    stream: true,
  });
  let chunks = 0;
  await assert.rejects(
    (async () => {
      for await (const _ of stream) {
        if (++chunks === 3) {
          const res = await gw.rt.app.request(`/api/keys/${id}`, {
            method: "DELETE",
            headers: gw.admin.headers,
          });
          assert.equal(res.status, 204);
        }
      }
    })(),
    (e: unknown) => e instanceof OpenAI.APIError && e.code === "api_key_revoked",
  );
  // 400 words at 25 ms a chunk would take 12 s: the stream was cut, not finished.
  assert.ok(chunks < 100, `the stream went on for ${chunks} chunks`);
  const row = await waitFor(
    () =>
      gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 5 }).data.find((r) =>
        r.outcome === "api_key_revoked"
      ),
    "the revoked row",
  );
  assert.equal(row.tokens_estimated, true);
  assert.ok(row.completion_tokens! >= 2);
});

Deno.test("/v1 keys: a session token works as a Bearer; a session cookie only from the app's own origin", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "m" });
  const asSession = await gw.client(gw.admin.token).chat.completions.create({ model: "m", messages: hello });
  assert.equal(asSession.choices[0].message.content, "You said: hi");
  const body = JSON.stringify({ model: "m", messages: hello });
  const cookie = `mlx_session=${gw.admin.token}`;
  const same = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { cookie, origin: gw.url, "content-type": "application/json" },
    body,
  });
  assert.equal(same.status, 200);
  await same.body?.cancel();
  const cross = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { cookie, origin: "https://evil.example", "content-type": "application/json" },
    body,
  });
  assert.equal(cross.status, 403);
  assert.equal((await cross.json()).error.code, "forbidden_origin");
});

Deno.test("/v1 on demand: 20 simultaneous requests for a stopped profile start one process and all succeed", async () => {
  await using gw = await startGateway();
  const profile = await gw.profile({ name: "cold" }, { load_delay_ms: 300 });
  const { key } = await gw.key();
  const client = gw.client(key);
  const { updates, stop } = recordUpdates(gw.rt);
  const answers = await Promise.all(
    Array.from(
      { length: 20 },
      (_, i) =>
        client.chat.completions.create({ model: "cold", messages: [{ role: "user", content: `n${i}` }] }),
    ),
  );
  stop();
  assert.deepEqual(
    answers.map((a) => a.choices[0].message.content),
    answers.map((_, i) => `You said: n${i}`),
  );
  const pids = new Set(
    updates.filter((u) => u.profile_id === profile.id && u.pid !== null).map((u) => u.pid),
  );
  assert.equal(pids.size, 1, `one process, saw ${[...pids].join(", ")}`);
});

Deno.test("/v1 abort: a client that goes away closes the upstream request at once", async () => {
  await using gw = await startGateway();
  const dir = await Deno.makeTempDir();
  const record = `${dir}/record.jsonl`;
  await gw.profile({ name: "long" }, { reply: "word ".repeat(400), token_delay_ms: 25, record });
  const { key } = await gw.key();
  const controller = new AbortController();
  const stream = await gw.client(key).chat.completions.create(
    { model: "long", messages: hello, stream: true },
    { signal: controller.signal },
  );
  let n = 0;
  try {
    for await (const _ of stream) if (++n === 2) controller.abort();
  } catch { /* the client may report the abort */ }
  assert.ok(n < 100, "the stream stopped at the abort");
  const closed = await waitFor(
    async () => {
      const text = await Deno.readTextFile(record);
      return text.includes('"client_closed"');
    },
    "the fake saw the client hang up",
    5000,
  );
  assert.ok(closed);
  const row = await waitFor(
    () => gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 5 }).data[0],
    "an activity row",
  );
  assert.equal(row.outcome, "client_closed");
  assert.equal(row.status, 499);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("/v1 with MLX_MANAGER_GATEWAY_AUTH=none takes requests without a key", async () => {
  await using gw = await startGateway({ MLX_MANAGER_GATEWAY_AUTH: "none" });
  await gw.profile({ name: "open" });
  const answer = await gw.client("unused").chat.completions.create({ model: "open", messages: hello });
  assert.equal(answer.choices[0].message.content, "You said: hi");
  const row = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 1 }).data[0];
  assert.equal(row.user_id, null);
  assert.equal(row.outcome, "ok");
});
