import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";
import type { ActivityRow } from "../../../services/gateway/activity.ts";
import { activityRow as row } from "../../helpers/activity.ts";

Deno.test("GET /api/activity: admins see every row, users their own; filters and a cursor page through", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  for (let n = 1; n <= 5; n++) rt.deps.activity.record(row(n, { user_id: user.id, key_id: 7 }));
  rt.deps.activity.record(row(6, { user_id: admin.id, model: "writer", status: 429, outcome: "queue_full" }));

  const get = async (query: string, headers = admin.headers) => {
    const res = await rt.app.request(`/api/activity${query}`, { headers });
    assert.equal(res.status, 200, query);
    return await res.json();
  };
  assert.deepEqual(
    (await get("")).data.map((r: ActivityRow) => r.id),
    [6, 5, 4, 3, 2, 1].map((n) => `req_${n}`),
  );
  assert.deepEqual(
    (await get("", user.headers)).data.map((r: ActivityRow) => r.user_id),
    Array(5).fill(user.id),
  );
  assert.equal((await get("?model=WRITER")).data.length, 1);
  assert.equal((await get("?status=429")).data[0].outcome, "queue_full");
  assert.equal((await get(`?user=${user.id}&key=7`)).data.length, 5);
  assert.equal((await get(`?since=${encodeURIComponent(row(4).created_at)}`)).data.length, 3);
  assert.equal(
    (await rt.app.request(`/api/activity?user=${admin.id}`, { headers: user.headers })).status,
    403,
  );
  assert.equal((await rt.app.request("/api/activity?status=abc", { headers: admin.headers })).status, 422);

  const first = await get("?limit=4");
  assert.equal(first.data.length, 4);
  const second = await get(`?limit=4&cursor=${first.next_cursor}`);
  assert.deepEqual(second.data.map((r: ActivityRow) => r.id), ["req_2", "req_1"]);
  assert.equal(second.next_cursor, null);

  const keys = Object.keys(first.data[0]).sort();
  assert.deepEqual(keys, [
    "cold_start",
    "completion_tokens",
    "created_at",
    "duration_ms",
    "endpoint",
    "id",
    "key_id",
    "model",
    "outcome",
    "profile_id",
    "prompt_tokens",
    "queue_ms",
    "status",
    "stream",
    "tokens_estimated",
    "tokens_per_second",
    "ttft_ms",
    "upstream",
    "user_id",
  ]);
});

Deno.test("GET /api/activity/summary, /series and /export: totals per model and user, buckets, CSV", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  rt.deps.activity.record(row(1, { user_id: user.id }));
  rt.deps.activity.record(row(2, { user_id: user.id, model: "=cmd()" }));
  rt.deps.activity.record(row(3, { user_id: admin.id, status: 502, outcome: "upstream_error" }));

  const summary = await (await rt.app.request("/api/activity/summary", { headers: admin.headers })).json();
  const coder = summary.models.find((m: { key: string }) => m.key === "coder");
  assert.equal(coder.requests, 2);
  assert.equal(coder.errors, 1);
  assert.equal(coder.completion_tokens, 40);
  const mine = summary.users.find((u: { key: number }) => u.key === user.id);
  assert.equal(mine.email, user.email);
  assert.equal(mine.requests, 2);
  const own = await (await rt.app.request("/api/activity/summary", { headers: user.headers })).json();
  assert.deepEqual(own.users.map((u: { key: number }) => u.key), [user.id]);

  const series = await (await rt.app.request("/api/activity/series?bucket=120", { headers: admin.headers }))
    .json();
  assert.deepEqual(series.map((b: { requests: number }) => b.requests), [1, 2]);

  const csv = await (await rt.app.request("/api/activity/export", { headers: user.headers })).text();
  const lines = csv.trim().split("\r\n");
  assert.equal(lines[0].split(",")[0], "id");
  assert.equal(lines.length, 3, "the header and the user's own two rows");
  assert.ok(lines[1].includes("'=cmd()"), "a formula-like cell is defused");
});

Deno.test("ActivityLog.prune() deletes rows older than MLX_MANAGER_ACTIVITY_DAYS", async () => {
  await using rt = await testRuntime({ env: { MLX_MANAGER_ACTIVITY_DAYS: "2" } });
  const { admin } = await adminAndUser(rt);
  const at = Date.UTC(2026, 0, 10);
  rt.deps.activity.record(row(1, { id: "old", created_at: new Date(at - 3 * 86_400_000).toISOString() }));
  rt.deps.activity.record(row(2, { id: "new", created_at: new Date(at - 86_400_000).toISOString() }));
  assert.equal(rt.deps.activity.prune(at), 1);
  assert.deepEqual(
    rt.deps.activity.list({ id: admin.id, isAdmin: true }, { limit: 10 }).data.map((r) => r.id),
    [
      "new",
    ],
  );
});

Deno.test("GET /api/activity/last gives each profile's last request, without who made it or with which key", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  rt.deps.activity.record(row(1, { user_id: admin.id, key_id: 3, profile_id: 1 }));
  rt.deps.activity.record(
    row(2, { user_id: admin.id, key_id: 3, profile_id: 1, status: 503, outcome: "queue_timeout" }),
  );
  rt.deps.activity.record(row(3, { user_id: admin.id, profile_id: 2, model: "writer" }));
  const res = await rt.app.request("/api/activity/last", { headers: user.headers });
  assert.equal(res.status, 200);
  const last = (await res.json()).sort((a: ActivityRow, b: ActivityRow) => a.profile_id! - b.profile_id!);
  assert.deepEqual(last.map((r: ActivityRow) => [r.profile_id, r.outcome, r.model]), [
    [1, "queue_timeout", "coder"],
    [2, "ok", "writer"],
  ]);
  for (const r of last) {
    assert.ok(!("user_id" in r) && !("key_id" in r) && !("id" in r), JSON.stringify(r));
    assert.equal(r.created_at !== undefined && r.ttft_ms === 12.5, true);
  }
});

Deno.test("GET /api/activity?machine= keeps the rows of one machine: local for this one, or an upstream's name", async () => {
  await using rt = await testRuntime();
  const { admin } = await adminAndUser(rt);
  rt.deps.activity.record(row(1));
  rt.deps.activity.record(row(2, { profile_id: null, upstream: "studio" }));
  rt.deps.activity.record(row(3, { profile_id: null, upstream: "laptop" }));
  const ids = async (query: string) => {
    const res = await rt.app.request(`/api/activity${query}`, { headers: admin.headers });
    assert.equal(res.status, 200);
    return (await res.json()).data.map((r: ActivityRow) => r.id);
  };
  assert.deepEqual(await ids(""), ["req_3", "req_2", "req_1"]);
  assert.deepEqual(await ids("?machine=local"), ["req_1"]);
  assert.deepEqual(await ids("?machine=STUDIO"), ["req_2"]);
  assert.deepEqual(await ids("?machine=nowhere"), []);
  const summary =
    await (await rt.app.request("/api/activity/summary?machine=laptop", { headers: admin.headers }))
      .json();
  assert.equal(summary.models[0].requests, 1);
  const csv = await (await rt.app.request("/api/activity/export?machine=studio", { headers: admin.headers }))
    .text();
  assert.equal(csv.trim().split("\r\n").length, 2, "the header and studio's row");
  assert.ok(csv.split("\r\n")[0].includes(",upstream,"));
});
