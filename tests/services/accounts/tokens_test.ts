import assert from "node:assert/strict";
import { TokenSigner } from "../../../services/accounts/tokens.ts";

Deno.test("TokenSigner.check() refuses tokens signed with another secret, expired, or with alg none", async () => {
  const signer = new TokenSigner("a".repeat(64), 60);
  const good = await signer.issue(1, 0);
  assert.ok(await signer.check(good));
  assert.equal(await new TokenSigner("b".repeat(64), 60).check(good), null);
  assert.equal(
    await new TokenSigner("a".repeat(64), -10).check(await new TokenSigner("a".repeat(64), -10).issue(1, 0)),
    null,
  );
  const [, payload] = good.split(".");
  const none = `${btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=/g, "")}.${payload}.`;
  assert.equal(await signer.check(none), null);
});

Deno.test("TokenSigner.check() lets a token it verified once still expire on time", async () => {
  let now = Date.UTC(2030, 0, 1);
  const signer = new TokenSigner("c".repeat(64), 1, { clock: () => now });
  const token = await signer.issue(1, 0);
  assert.ok(await signer.check(token));
  assert.ok(await signer.check(token), "remembered");
  now += 1100;
  assert.equal(await signer.check(token), null);
});
