import assert from "node:assert/strict";
import { limitsBody, limitsSummary, limitsValues } from "../../lib/limits_form.ts";
import { NO_LIMITS } from "../../lib/limit_types.ts";
import { bucketRange, OTHER, stackByModel } from "../../lib/usage_chart.ts";
import type { UsageReport } from "../../lib/limit_types.ts";

Deno.test("limitsValues() and limitsBody() carry limits through the form's text fields and back", () => {
  const limits = {
    rpm: 10,
    tpm: null,
    max_parallel: 2,
    budget_tokens: 50_000,
    budget_period: "week" as const,
  };
  assert.deepEqual(limitsBody(limitsValues(limits)), limits);
  assert.deepEqual(limitsBody(limitsValues(null)), NO_LIMITS);
  assert.equal(limitsBody({ ...limitsValues(null), budget_tokens: " 7 " }).budget_period, "day");
  assert.equal(
    limitsBody({ ...limitsValues(null), rpm: "x" }).rpm,
    NaN,
    "sent as typed: the server refuses it",
  );
});

Deno.test("limitsSummary() says the limits in a few words", () => {
  assert.equal(limitsSummary(NO_LIMITS), null);
  assert.equal(
    limitsSummary({
      rpm: 10,
      tpm: 20_000,
      max_parallel: 2,
      budget_tokens: 1_500_000,
      budget_period: "month",
    }),
    "10 rpm · 20k tpm · 2 at once · 1.5M tokens/month",
  );
  assert.equal(limitsSummary({ ...NO_LIMITS, tpm: 1234 }), "1234 tpm");
});

Deno.test("stackByModel() makes one bar per period, stacking the largest models and summing the rest", () => {
  const bucket = (group: string, day: string, tokens: number) => ({
    group,
    bucket: day,
    requests: 1,
    prompt_tokens: tokens,
    completion_tokens: 0,
    errors: 0,
    rate_limited: 0,
    median_ttft_ms: null,
  });
  const report: UsageReport = {
    group_by: "model",
    period: "day",
    since: "2026-02-27",
    until: "2026-03-01",
    time_zone: "UTC",
    buckets: [bucket("a", "2026-02-27", 50), bucket("b", "2026-02-27", 30), bucket("c", "2026-03-01", 5)],
    groups: [],
  };
  const { models, bars, peak } = stackByModel(report, 2);
  assert.deepEqual(models, ["a", OTHER]);
  assert.deepEqual(bars.map((b) => [b.bucket, b.total]), [["2026-02-27", 80], ["2026-02-28", 0], [
    "2026-03-01",
    5,
  ]]);
  assert.deepEqual(bars[0].segments, [{ model: "a", tokens: 50 }, { model: OTHER, tokens: 30 }]);
  assert.equal(peak, 80);
  assert.deepEqual(bucketRange("2025-12-01", "2026-02-01", "month"), [
    "2025-12-01",
    "2026-01-01",
    "2026-02-01",
  ]);
  assert.deepEqual(bucketRange("2026-02-23", "2026-03-09", "week"), [
    "2026-02-23",
    "2026-03-02",
    "2026-03-09",
  ]);
});
