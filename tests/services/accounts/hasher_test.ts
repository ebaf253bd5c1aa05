import assert from "node:assert/strict";
import { WorkerPasswordHasher } from "../../../services/accounts/hasher.ts";
import { hashPassword } from "../../../services/accounts/passwords.ts";

Deno.test("WorkerPasswordHasher hashes on another thread: the main thread's timers fire while argon2 runs", async () => {
  const hasher = new WorkerPasswordHasher();
  try {
    assert.equal(hasher.running, false, "no worker before the first hash");
    await hasher.hash("warm up the worker");
    assert.equal(hasher.running, true);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const hash = await hasher.hash("correct horse battery");
    const during = ticks;
    clearInterval(timer);
    assert.ok(during > 0, "the event loop turned while the password was hashed");
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await hasher.verify("correct horse battery", hash), true);
    assert.equal(await hasher.verify("wrong horse battery", hash), false);
    assert.equal(await hasher.verify("anything", "not a hash"), false);
  } finally {
    hasher.close();
  }
  assert.equal(hasher.running, false);
});

Deno.test("hashPassword() on the main thread blocks its timers (what the worker avoids)", async () => {
  await hashPassword("warm up");
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  const started = ticks;
  await hashPassword("correct horse battery");
  const during = ticks - started;
  clearInterval(timer);
  assert.equal(during, 0);
});

Deno.test("WorkerPasswordHasher ends its idle worker and starts another on the next hash", async () => {
  const hasher = new WorkerPasswordHasher(undefined, 10);
  try {
    const hash = await hasher.hash("correct horse battery");
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(hasher.running, false);
    assert.equal(await hasher.verify("correct horse battery", hash), true);
  } finally {
    hasher.close();
  }
});

Deno.test("WorkerPasswordHasher falls back to the main thread when its worker cannot start", async () => {
  const hasher = new WorkerPasswordHasher(new URL("file:///nonexistent/password_worker.ts"));
  try {
    const hash = await hasher.hash("correct horse battery");
    assert.equal(await hasher.verify("correct horse battery", hash), true);
  } finally {
    hasher.close();
  }
});
