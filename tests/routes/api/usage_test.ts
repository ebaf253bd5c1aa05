import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, json } from "../../helpers/auth.ts";
import type { ActivityItem } from "../../../lib/gateway_types.ts";
import type { UsageReport } from "../../../lib/limit_types.ts";

function row(fields: Partial<ActivityItem>): ActivityItem {
  return {
    id: `req_${crypto.randomUUID().replaceAll("-", "")}`,
    created_at: new Date().toISOString(),
    user_id: null,
    key_id: null,
    endpoint: "/v1/chat/completions",
    model: "a",
    profile_id: null,
    upstream: null,
    stream: true,
    status: 200,
    outcome: "ok",
    prompt_tokens: null,
    completion_tokens: null,
    tokens_estimated: false,
    ttft_ms: null,
    tokens_per_second: null,
    duration_ms: 10,
    queue_ms: null,
    cold_start: false,
    ...fields,
  };
}

Deno.test("GET /api/usage groups tokens, errors and median first-token times by model and local day", async () => {
  await using rt = await testRuntime({ env: { TZ: "Asia/Tokyo" } });
  const { admin, user } = await adminAndUser(rt);
  const { activity } = rt.deps;
  // 16:00 UTC is the next day in Tokyo.
  activity.record(
    row({
      created_at: "2026-11-02T16:00:00Z",
      user_id: user.id,
      prompt_tokens: 10,
      completion_tokens: 20,
      ttft_ms: 100,
    }),
  );
  activity.record(
    row({
      created_at: "2026-11-03T01:00:00Z",
      user_id: user.id,
      prompt_tokens: 30,
      completion_tokens: 40,
      ttft_ms: 300,
    }),
  );
  activity.record(
    row({
      created_at: "2026-11-03T02:00:00Z",
      user_id: admin.id,
      model: "b",
      status: 500,
      outcome: "upstream_error",
    }),
  );
  activity.record(
    row({ created_at: "2026-11-03T03:00:00Z", user_id: user.id, status: 429, outcome: "rate_limited" }),
  );
  activity.record(
    row({ created_at: "2026-11-01T03:00:00Z", user_id: user.id, prompt_tokens: 1, completion_tokens: 1 }),
  );

  const res = await rt.app.request("/api/usage?group_by=model&period=day&since=2026-11-02", {
    headers: admin.headers,
  });
  assert.equal(res.status, 200);
  const report: UsageReport = await res.json();
  assert.equal(report.time_zone, "Asia/Tokyo");
  assert.equal(report.since, "2026-11-02");
  assert.deepEqual(report.buckets, [
    {
      group: "a",
      bucket: "2026-11-03",
      requests: 3,
      prompt_tokens: 40,
      completion_tokens: 60,
      errors: 1,
      rate_limited: 1,
      median_ttft_ms: 200,
    },
    {
      group: "b",
      bucket: "2026-11-03",
      requests: 1,
      prompt_tokens: 0,
      completion_tokens: 0,
      errors: 1,
      rate_limited: 0,
      median_ttft_ms: null,
    },
  ]);

  const month = await (await rt.app.request("/api/usage?group_by=user&period=month&since=2026-11-15", {
    headers: admin.headers,
  })).json() as UsageReport;
  assert.equal(month.since, "2026-11-01");
  const mine = month.groups.find((g) => g.group === user.id)!;
  assert.equal(mine.label, user.email);
  assert.equal(mine.requests, 4);
  assert.equal(mine.prompt_tokens + mine.completion_tokens, 102);

  // A user sees only their own usage, and may not ask for someone else's.
  const own = await (await rt.app.request("/api/usage?group_by=user&period=month&since=2026-11-01", {
    headers: user.headers,
  })).json() as UsageReport;
  assert.deepEqual(own.groups.map((g) => g.group), [user.id]);
  const other = await rt.app.request(`/api/usage?user=${admin.id}`, { headers: user.headers });
  assert.equal(other.status, 403);
  assert.equal((await rt.app.request("/api/usage?group_by=profile", { headers: admin.headers })).status, 422);
  assert.equal((await rt.app.request("/api/usage?since=yesterday", { headers: admin.headers })).status, 422);
  assert.equal((await rt.app.request("/api/usage")).status, 401);
});

Deno.test("GET /api/usage?group_by=key shows each key's budget used in percent; /export answers CSV", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const created = await rt.app.request(
    "/api/keys",
    json(
      "POST",
      { name: "laptop, work", limits: { budget_tokens: 1000, budget_period: "day" } },
      user.headers,
    ),
  );
  const key = await created.json();
  rt.deps.activity.record(
    row({ user_id: user.id, key_id: key.id, prompt_tokens: 100, completion_tokens: 150 }),
  );
  const report = await (await rt.app.request("/api/usage?group_by=key", { headers: admin.headers }))
    .json() as UsageReport;
  const group = report.groups.find((g) => g.group === key.id)!;
  assert.equal(group.label, "laptop, work");
  assert.equal(group.owner, user.email);
  assert.equal(group.budget?.used, 250);
  assert.equal(group.budget?.percent, 25);
  assert.ok(Date.parse(group.budget!.resets_at) > Date.now());

  const csv = await rt.app.request("/api/usage/export?group_by=key", { headers: user.headers });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get("content-type")!, /^text\/csv/);
  const lines = (await csv.text()).trim().split("\r\n");
  assert.equal(
    lines[0],
    "day,key,label,requests,prompt_tokens,completion_tokens,errors,rate_limited,median_ttft_ms",
  );
  assert.match(lines[1], new RegExp(`^\\d{4}-\\d{2}-\\d{2},${key.id},"laptop, work",1,100,150,0,0,$`));
});
