import assert from "node:assert/strict";
import { KEY_FILE, SecretBox } from "../../services/secrets.ts";
import { isAppError } from "../../lib/errors.ts";

Deno.test("SecretBox creates its 0600 key file on first use, not when constructed, and round-trips values", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const box = new SecretBox(`${dir}/data`);
    await assert.rejects(Deno.stat(`${dir}/data/${KEY_FILE}`), Deno.errors.NotFound);
    const sealed = await box.seal("ghp_supersecret", "mcp|1|env|TOKEN");
    assert.ok(sealed.startsWith("v1:"));
    assert.ok(!sealed.includes("supersecret"));
    assert.equal((await Deno.stat(`${dir}/data/${KEY_FILE}`)).mode! & 0o777, 0o600);
    assert.equal(await box.open(sealed, "mcp|1|env|TOKEN"), "ghp_supersecret");
    // A fresh nonce per value: the same secret never seals the same way twice.
    assert.notEqual(await box.seal("ghp_supersecret", "mcp|1|env|TOKEN"), sealed);
    // Another instance reads the same key.
    assert.equal(await new SecretBox(`${dir}/data`).open(sealed, "mcp|1|env|TOKEN"), "ghp_supersecret");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SecretBox.open() refuses a value moved to another place or sealed with another key", async () => {
  const dir = await Deno.makeTempDir();
  const other = await Deno.makeTempDir();
  try {
    const sealed = await new SecretBox(dir).seal("value-123", "mcp|1|env|A");
    await assert.rejects(new SecretBox(dir).open(sealed, "mcp|2|env|A"), (e) => isAppError(e, "internal"));
    await assert.rejects(
      new SecretBox(other).open(sealed, "mcp|1|env|A"),
      (e) => isAppError(e, "internal") && /not the key it was saved with/.test((e as Error).message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(other, { recursive: true });
  }
});
