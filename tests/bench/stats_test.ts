import assert from "node:assert/strict";
import { pairedDiff, pairedRatio, pairedRounds, percentile, summarize } from "../../bench/stats.ts";

Deno.test("summarize() gives the min, the middle (or mean of the two middles) and the max", () => {
  assert.deepEqual(summarize([3, 1, 2]), { min: 1, median: 2, max: 3, n: 3 });
  assert.deepEqual(summarize([4, 1, 3, 2]), { min: 1, median: 2.5, max: 4, n: 4 });
  assert.equal(Number.isNaN(summarize([]).median), true);
});

Deno.test("percentile() takes the nearest rank", () => {
  assert.equal(percentile([5, 1, 4, 2, 3], 50), 3);
  assert.equal(percentile([5, 1, 4, 2, 3], 100), 5);
  assert.equal(percentile([5, 1, 4, 2, 3], 0), 1);
});

Deno.test("pairedRounds() alternates which side runs first and pairs the results by round", async () => {
  const order: string[] = [];
  let i = 0;
  const { a, b } = await pairedRounds(
    4,
    () => Promise.resolve((order.push("a"), { v: ++i })),
    () => Promise.resolve((order.push("b"), { v: ++i * 10 })),
  );
  assert.deepEqual(order, ["a", "b", "b", "a", "a", "b", "b", "a"]);
  assert.equal(a.length, 4);
  assert.equal(b.length, 4);
  assert.deepEqual(pairedDiff([{ v: 1 }, { v: 2 }], [{ v: 3 }, { v: 7 }], (x) => x.v).median, 3.5);
  assert.deepEqual(pairedRatio([{ v: 1 }, { v: 2 }, { v: 4 }], [{ v: 2 }, { v: 2 }, { v: 12 }], (x) => x.v), {
    min: 1,
    median: 2,
    max: 3,
    n: 3,
  });
});
