import assert from "node:assert/strict";
import { listen, testRuntime } from "../../helpers/runtime.ts";
import { createUser } from "../../helpers/auth.ts";
import { sendChunked } from "../../helpers/raw_http.ts";
import { bodyLimitFor } from "../../../lib/body_limits.ts";

const MB = 1024 * 1024;

Deno.test("a chunked 200 MB body is refused with 413 once it passes the route's limit, not read whole", async () => {
  await using rt = await testRuntime();
  const admin = await createUser(rt, { admin: true });
  const server = listen(rt);
  try {
    const result = await sendChunked(`${server.url}/api/conversations`, 200 * MB, { headers: admin.headers });
    assert.equal(result.status, 413, result.response.slice(0, 300));
    assert.match(result.response, /larger than 25 MB/);
    // The socket buffers take a little more than the limit; reading all of it would take 200 MB.
    assert.ok(result.sent < 25 * MB + 16 * MB, `sent ${result.sent} bytes`);
    assert.equal(rt.deps.conversations.list(admin.id).length, 0);
  } finally {
    await server.stop();
  }
});

for (const path of ["/api/auth/register", "/api/auth/login"]) {
  Deno.test(`POST ${path} reads at most 64 KB: a chunked body and a declared length over it answer 413`, async () => {
    await using rt = await testRuntime();
    const server = listen(rt);
    try {
      assert.equal(bodyLimitFor(path), 64 * 1024);
      // More than loopback's socket buffers can hold (tcp_rmem and tcp_wmem maxima: 32 + 4 MB here), so "not all of it was sent" means "not read".
      const total = 64 * MB;
      const chunked = await sendChunked(`${server.url}${path}`, total);
      assert.equal(chunked.status, 413, chunked.response.slice(0, 300));
      assert.match(chunked.response, /larger than 64 KB/);
      assert.ok(chunked.sent < total, `sent ${chunked.sent} bytes`);

      const big = JSON.stringify({ email: "ada@example.com", password: "x".repeat(70 * 1024) });
      const declared = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: big,
      });
      assert.equal(declared.status, 413);
      assert.equal((await declared.json()).code, "too_large");
      assert.equal(rt.deps.accounts.list().length, 0);
      if (path !== "/api/auth/login") return;
      // A sign-in form is limited the same way.
      const form = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(`username=a&password=${"x".repeat(100 * 1024)}`));
            controller.close();
          },
        }),
      });
      assert.equal(form.status, 413);
      await form.body?.cancel();
    } finally {
      await server.stop();
    }
  });
}

Deno.test("a body under its route's limit is read as before", async () => {
  await using rt = await testRuntime();
  const server = listen(rt);
  try {
    const res = await fetch(`${server.url}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new ReadableStream({
        start(controller) {
          const text = JSON.stringify({ email: "ada@example.com", password: "correct horse battery" });
          for (const part of text.match(/.{1,7}/g)!) controller.enqueue(new TextEncoder().encode(part));
          controller.close();
        },
      }),
    });
    assert.equal(res.status, 201);
    assert.equal((await res.json()).email, "ada@example.com");
  } finally {
    await server.stop();
  }
});

Deno.test("a chunked body that also declares a small length is not read whole", async () => {
  await using rt = await testRuntime();
  const server = listen(rt);
  try {
    // The declared length is trusted only when it frames the body; with chunked framing the body is counted.
    const total = 64 * MB;
    const result = await sendChunked(`${server.url}/api/auth/register`, total, {
      headers: { "content-length": "10" },
    });
    assert.ok(result.status === 413 || result.status === 400, result.response.slice(0, 300));
    assert.ok(result.sent < total, `sent ${result.sent} bytes`);
    assert.equal(rt.deps.accounts.list().length, 0);
  } finally {
    await server.stop();
  }
});
