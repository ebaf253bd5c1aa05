import assert from "node:assert/strict";
import { useConfirm } from "../../lib/client/confirm.ts";
import { mountHook } from "../helpers/hooks.ts";

const question = (run: () => Promise<unknown>) => ({
  title: "Revoke key",
  message: "Sure?",
  confirmLabel: "Revoke",
  run,
});

Deno.test("useConfirm() runs the asked action once confirmed, busy meanwhile, then closes", async () => {
  const confirm = mountHook(useConfirm);
  const runs: boolean[] = [];
  confirm.ask(question(() => Promise.resolve(runs.push(confirm.busy.value))));
  assert.equal(confirm.request.value?.title, "Revoke key");
  await confirm.confirm();
  assert.deepEqual(runs, [true]);
  assert.equal(confirm.request.value, null);
  assert.equal(confirm.busy.value, false);
  await confirm.confirm();
  assert.equal(runs.length, 1, "nothing runs without a question");
});

Deno.test("useConfirm() closes after a failed action and never runs a cancelled one", async () => {
  const confirm = mountHook(useConfirm);
  confirm.ask(question(() => Promise.reject(new Error("gone"))));
  await assert.rejects(confirm.confirm(), /gone/);
  assert.equal(confirm.request.value, null);
  assert.equal(confirm.busy.value, false);
  let ran = false;
  confirm.ask(question(() => Promise.resolve(ran = true)));
  confirm.cancel();
  await confirm.confirm();
  assert.equal(ran, false);
});
