import assert from "node:assert/strict";
import OpenAI from "openai";
import { listen, testRuntime } from "../../helpers/runtime.ts";
import { createUser, json } from "../../helpers/auth.ts";

const LIMIT = 20;

Deno.test("wrong API keys are throttled per address: past 20 a minute the next check answers 429 rate_limit_error with Retry-After, while a valid key from another address is served", async () => {
  await using rt = await testRuntime();
  const v4 = listen(rt);
  const v6 = listen(rt, "::1");
  try {
    const admin = await createUser(rt, { admin: true });
    const created = await rt.app.request("/api/keys", json("POST", { name: "laptop" }, admin.headers));
    const { key } = await created.json();
    const client = (url: string, apiKey: string) =>
      new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 });
    const guesser = client(v4.url, "mlxm_AAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
    for (let i = 0; i < LIMIT; i++) {
      await assert.rejects(guesser.models.list(), (e: unknown) => e instanceof OpenAI.AuthenticationError);
    }
    const throttled = await guesser.models.list().then(() => null, (e: unknown) => e);
    assert.ok(throttled instanceof OpenAI.RateLimitError, String(throttled));
    assert.equal(throttled.status, 429);
    assert.equal(throttled.code, "too_many_failed_credentials");
    assert.equal(throttled.type, "rate_limit_error");
    const wait = Number(throttled.headers?.get("retry-after"));
    assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
    assert.match(throttled.message, /try again in \d+ seconds/);
    // A chat request from the same address is refused before its body is read.
    const chat = await fetch(`${v4.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "any", messages: [] }),
    });
    assert.equal(chat.status, 429);
    await chat.body?.cancel();
    // Another address with a valid key is not slowed.
    const models = await client(v6.url, key).models.list();
    assert.ok(Array.isArray(models.data));
  } finally {
    await v4.stop();
    await v6.stop();
  }
});

Deno.test("wrong bearer tokens on the app's API are throttled per address (429 with Retry-After), and a valid token from another address is served", async () => {
  await using rt = await testRuntime();
  const v4 = listen(rt);
  const v6 = listen(rt, "::1");
  try {
    const user = await createUser(rt, { admin: true });
    const get = (url: string, token: string) =>
      fetch(`${url}/api/profiles`, { headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < LIMIT; i++) {
      const res = await get(v4.url, `not-a-token-${i}`);
      assert.equal(res.status, 401);
      await res.body?.cancel();
    }
    const throttled = await get(v4.url, "not-a-token");
    assert.equal(throttled.status, 429);
    assert.ok(Number(throttled.headers.get("retry-after")) >= 1);
    assert.match((await throttled.json()).detail, /Too many wrong API keys or tokens from this address/);
    const served = await get(v6.url, user.token);
    assert.equal(served.status, 200);
    await served.body?.cancel();
    // The sign-in page and other public paths stay reachable.
    const health = await fetch(`${v4.url}/health`, { headers: { authorization: "Bearer not-a-token" } });
    assert.equal(health.status, 200);
    await health.body?.cancel();
  } finally {
    await v4.stop();
    await v6.stop();
  }
});
