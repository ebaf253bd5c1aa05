import assert from "node:assert/strict";
import { Confirmations } from "../../../services/mcp/confirmations.ts";

Deno.test("Confirmations: only the asking user answers; time-out and abort count as no", async () => {
  const c = new Confirmations();
  const yes = c.ask(1, "call_a", 5000);
  assert.equal(c.answer(2, "call_a", true), false, "another user cannot answer");
  assert.equal(c.answer(1, "call_a", true), true);
  assert.equal(await yes, true);
  assert.equal(c.answer(1, "call_a", true), false, "answered once");
  assert.equal(await c.ask(1, "call_b", 10), false);
  const controller = new AbortController();
  const aborted = c.ask(1, "call_c", 5000, controller.signal);
  controller.abort();
  assert.equal(await aborted, false);
  const refused = c.ask(1, "call_d", 5000);
  c.answer(1, "call_d", false);
  assert.equal(await refused, false);
});
