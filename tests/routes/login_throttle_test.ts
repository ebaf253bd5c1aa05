import assert from "node:assert/strict";
import { listen, testRuntime } from "../helpers/runtime.ts";

const password = "correct horse battery";

async function post(url: string, path: string, body: unknown): Promise<Response> {
  return await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function status(res: Response): Promise<number> {
  await res.body?.cancel();
  return res.status;
}

Deno.test("a stranger's wrong passwords do not lock the admin out: a correct password from a clean address signs in", async () => {
  await using rt = await testRuntime();
  // Two loopback listeners: clients of 127.0.0.1 and of ::1 are two addresses to the app.
  const owner = listen(rt, "127.0.0.1");
  const stranger = listen(rt, "::1");
  try {
    assert.equal(
      await status(await post(owner.url, "/api/auth/register", { email: "ada@example.com", password })),
      201,
    );
    for (let i = 0; i < 10; i++) {
      const res = await post(stranger.url, "/api/auth/login", {
        email: "ada@example.com",
        password: `guess-${i}-x`,
      });
      assert.equal(await status(res), 401);
    }
    // The stranger is held, even with the right password…
    const held = await post(stranger.url, "/api/auth/login", { email: "ada@example.com", password });
    assert.equal(held.status, 429);
    assert.ok(Number(held.headers.get("retry-after")) >= 1);
    await held.body?.cancel();
    // …the admin, from an address that has not failed, is not.
    const ok = await post(owner.url, "/api/auth/login", { email: "ADA@example.com", password });
    assert.equal(ok.status, 200);
    assert.ok((await ok.json()).access_token);
    // Once the owner's address fails too, the account's slower backoff holds it for a while.
    assert.equal(
      await status(
        await post(owner.url, "/api/auth/login", { email: "ada@example.com", password: "typo-xxx" }),
      ),
      401,
    );
    const backoff = await post(owner.url, "/api/auth/login", { email: "ada@example.com", password });
    assert.equal(backoff.status, 429);
    assert.match((await backoff.json()).detail, /Too many failed sign-ins/);
  } finally {
    await owner.stop();
    await stranger.stop();
  }
});

Deno.test("POST /api/auth/register is throttled per client address: 10 an hour, then 429 with Retry-After", async () => {
  await using rt = await testRuntime();
  const first = listen(rt, "127.0.0.1");
  const second = listen(rt, "::1");
  try {
    const register = (url: string, i: number) =>
      post(url, "/api/auth/register", { email: `u${i}@example.com`, password });
    for (let i = 0; i < 10; i++) assert.equal(await status(await register(first.url, i)), 201);
    const limited = await register(first.url, 10);
    assert.equal(limited.status, 429);
    const wait = Number(limited.headers.get("retry-after"));
    assert.ok(wait > 60 && wait <= 3600, `Retry-After ${wait}`);
    assert.match((await limited.json()).detail, /Too many registrations from this address/);
    assert.equal(rt.deps.accounts.list().length, 10);
    // Another address still registers.
    assert.equal(await status(await register(second.url, 11)), 201);
    // Input refused by validation does not count.
    assert.equal(
      await status(await post(second.url, "/api/auth/register", { email: "x", password: "short" })),
      422,
    );
  } finally {
    await first.stop();
    await second.stop();
  }
});
