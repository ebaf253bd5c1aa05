import assert from "node:assert/strict";
import { delay } from "../../lib/async.ts";

Deno.test("delay() resolves after its time when nothing aborts it", async () => {
  const controller = new AbortController();
  assert.equal(await delay(5, { signal: controller.signal }), undefined);
  assert.equal(await delay(1), undefined);
});

Deno.test("delay() rejects with the abort reason as soon as its signal aborts", async () => {
  const controller = new AbortController();
  const waiting = delay(60_000, { signal: controller.signal });
  controller.abort("pause");
  await assert.rejects(waiting, (reason) => reason === "pause");
});

Deno.test("delay() rejects at once when its signal has already aborted", async () => {
  await assert.rejects(
    delay(60_000, { signal: AbortSignal.abort("cancel") }),
    (reason) => reason === "cancel",
  );
});
