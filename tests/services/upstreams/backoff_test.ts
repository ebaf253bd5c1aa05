import assert from "node:assert/strict";
import { nextProbeDelay } from "../../../services/upstreams/backoff.ts";

Deno.test("nextProbeDelay() doubles after each failure in a row up to its ceiling", () => {
  assert.equal(nextProbeDelay(0, 10_000, 120_000), 10_000);
  assert.equal(nextProbeDelay(1, 10_000, 120_000), 10_000);
  assert.equal(nextProbeDelay(2, 10_000, 120_000), 20_000);
  assert.equal(nextProbeDelay(4, 10_000, 120_000), 80_000);
  assert.equal(nextProbeDelay(5, 10_000, 120_000), 120_000);
  assert.equal(nextProbeDelay(500, 10_000, 120_000), 120_000);
});
