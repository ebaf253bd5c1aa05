import assert from "node:assert/strict";
import { LoginThrottle } from "../../../services/accounts/login_throttle.ts";

function setup() {
  let clock = 1_000_000;
  const throttle = new LoginThrottle({ now: () => clock });
  return { throttle, tick: (ms: number) => clock += ms };
}

Deno.test("LoginThrottle holds an address after 10 failures against one account, for at most a minute", () => {
  const { throttle, tick } = setup();
  for (let i = 0; i < 10; i++) {
    assert.equal(throttle.retryAfter("a", "ada"), 0);
    throttle.failed("a", "ada");
  }
  const wait = throttle.retryAfter("a", "ada");
  assert.ok(wait > 0 && wait <= 60, `waits ${wait}`);
  tick(60_001);
  assert.equal(throttle.retryAfter("a", "ada"), 0);
});

Deno.test("LoginThrottle never holds an address that has not failed, however often the account was attacked", () => {
  const { throttle, tick } = setup();
  for (let i = 0; i < 40; i++) {
    throttle.failed(`attacker-${i % 3}`, "ada");
    tick(100);
  }
  assert.equal(throttle.retryAfter("owner", "ada"), 0);
  assert.ok(throttle.retryAfter("attacker-0", "ada") > 0);
});

Deno.test("LoginThrottle backs an account off for failing addresses, doubling with each failure", () => {
  const { throttle, tick } = setup();
  for (let i = 0; i < 10; i++) throttle.failed(`spray-${i}`, "ada");
  // A fresh address fails once: it is held by the account's backoff, not by its own count.
  throttle.failed("b", "ada");
  assert.equal(throttle.retryAfter("b", "ada"), 2);
  tick(2_000);
  assert.equal(throttle.retryAfter("b", "ada"), 0);
  throttle.failed("b", "ada");
  assert.equal(throttle.retryAfter("b", "ada"), 4);
  assert.equal(throttle.retryAfter("b", "bob"), 0, "other accounts are not held");
});

Deno.test("LoginThrottle holds an address that sprays many accounts", () => {
  const { throttle } = setup();
  for (let i = 0; i < 30; i++) throttle.failed("sprayer", `user${i}`);
  assert.ok(throttle.retryAfter("sprayer", "someone-else") > 0);
  assert.equal(throttle.retryAfter("other", "someone-else"), 0);
});
