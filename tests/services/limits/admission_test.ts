import assert from "node:assert/strict";
import {
  rateFigures,
  refusal,
  reserve,
  resetText,
  type Subject,
} from "../../../services/limits/admission.ts";
import { SubjectState } from "../../../services/limits/window.ts";
import { type Limits, NO_LIMITS } from "../../../lib/limit_types.ts";

function subject(kind: "key" | "user", limits: Partial<Limits>, budget: Subject["budget"] = null): Subject {
  return { kind, id: 1, limits: { ...NO_LIMITS, ...limits }, state: new SubjectState(), budget };
}

/** Checks and counts one request, as the service does in one step. */
function admit(subjects: Subject[], now: number, estimate = 10) {
  const refused = refusal(subjects, now);
  return refused ?? reserve(subjects, now, estimate);
}

Deno.test("refusal() lets rpm requests in a sliding minute and frees one when the oldest leaves it", () => {
  const s = subject("key", { rpm: 2 });
  assert.ok(Array.isArray(admit([s], 0)));
  assert.ok(Array.isArray(admit([s], 30_000)));
  const refused = admit([s], 59_000);
  assert.ok(!Array.isArray(refused) && refused.limit === "rpm" && refused.retryAfterMs === 1_000);
  assert.ok(Array.isArray(admit([s], 60_000)), "the first request left the window");
});

Deno.test("refusal() counts a request on the key and its user, and a refused one on neither", () => {
  const key = subject("key", { rpm: 5 });
  const user = subject("user", { rpm: 1 });
  assert.ok(Array.isArray(admit([key, user], 0)));
  const refused = admit([key, user], 1);
  assert.ok(!Array.isArray(refused) && refused.subject.kind === "user");
  assert.equal(key.state.requests(2), 1, "the refused request was not counted on the key");
});

Deno.test("settle() replaces a request's token estimate by its answer's count at the time it ends", () => {
  const s = subject("key", { tpm: 100 });
  const [hold] = admit([s], 0, 30) as ReturnType<typeof reserve>;
  assert.equal(s.state.tokens(0), 30);
  s.state.settle(hold, 50_000, 120);
  assert.equal(s.state.tokens(50_000), 120);
  const refused = admit([s], 50_001);
  assert.ok(!Array.isArray(refused) && refused.limit === "tpm" && refused.retryAfterMs === 59_999);
  assert.equal(s.state.tokens(110_000), 0, "the answer's tokens leave a minute after the answer ended");
  assert.equal(s.state.inFlight, 0);
});

Deno.test("refusal() holds max_parallel and a budget with the tokens of requests in flight", () => {
  const parallel = subject("key", { max_parallel: 1 });
  const [hold] = admit([parallel], 0) as ReturnType<typeof reserve>;
  assert.equal((admit([parallel], 1) as { limit: string }).limit, "max_parallel");
  parallel.state.settle(hold, 2, 0);
  assert.ok(Array.isArray(admit([parallel], 3)));

  const budget = subject("user", { budget_tokens: 100, budget_period: "day" }, {
    used: 80,
    end: 10_000,
    period: "day",
  });
  assert.ok(Array.isArray(admit([budget], 0, 25)));
  const refused = admit([budget], 1, 25);
  assert.ok(!Array.isArray(refused) && refused.limit === "budget" && refused.resetsAt === 10_000);
});

Deno.test("rateFigures() reports the subject with the fewest left, and resetText() OpenAI's durations", () => {
  const key = subject("key", { rpm: 10, tpm: 1000 });
  const user = subject("user", { rpm: 3 });
  reserve([key, user], 0, 40);
  const figures = rateFigures([key, user], 1_000);
  assert.deepEqual(figures.requests, { limit: 3, remaining: 2, resetMs: 59_000 });
  assert.deepEqual(figures.tokens, { limit: 1000, remaining: 960, resetMs: 59_000 });
  assert.deepEqual([resetText(250), resetText(12_000), resetText(61_200), resetText(0)], [
    "250ms",
    "12s",
    "1m2s",
    "0s",
  ]);
});
