import assert from "node:assert/strict";
import { listen, testRuntime } from "../../helpers/runtime.ts";
import { isAllowedHost } from "../../../routes/middleware/host_check.ts";

/** A request as a rebinding page sends it: a foreign Host and an Origin that matches it. */
async function rebound(url: string, host: string, path: string, body?: unknown): Promise<Response> {
  const target = new URL(url);
  const conn = await Deno.connect({ hostname: target.hostname, port: Number(target.port) });
  const text = body === undefined ? "" : JSON.stringify(body);
  const head = [
    `${body === undefined ? "GET" : "POST"} ${path} HTTP/1.1`,
    `host: ${host}`,
    `origin: http://${host}`,
    "sec-fetch-site: same-origin",
    "content-type: application/json",
    `content-length: ${new TextEncoder().encode(text).length}`,
    "connection: close",
  ].join("\r\n");
  await conn.write(new TextEncoder().encode(`${head}\r\n\r\n${text}`));
  const raw = new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
  const [headPart, ...rest] = raw.split("\r\n\r\n");
  return new Response(rest.join("\r\n\r\n"), { status: Number(headPart.match(/^HTTP\/1\.1 (\d{3})/)![1]) });
}

Deno.test("hostCheck: a rebinding page with a foreign Host cannot register the first admin (421)", async () => {
  await using rt = await testRuntime();
  const server = listen(rt);
  try {
    const port = new URL(server.url).port;
    const res = await rebound(server.url, `attacker.example:${port}`, "/api/auth/register", {
      email: "evil@example.com",
      password: "correct horse battery",
    });
    assert.equal(res.status, 421);
    assert.match((await res.json()).detail, /attacker\.example.*MLX_MANAGER_ALLOWED_HOSTS/);
    assert.equal(rt.deps.accounts.list().length, 0);
    const page = await rebound(server.url, `attacker.example:${port}`, "/login");
    assert.equal(page.status, 421);
    await page.body?.cancel();

    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `${Deno.hostname()}:${port}`]) {
      const ok = await rebound(server.url, host, "/health");
      assert.equal(ok.status, 200, host);
      await ok.body?.cancel();
    }
    const admin = await rebound(server.url, `127.0.0.1:${port}`, "/api/auth/register", {
      email: "ada@example.com",
      password: "correct horse battery",
    });
    assert.equal(admin.status, 201);
    await admin.body?.cancel();
  } finally {
    await server.stop();
  }
});

Deno.test("hostCheck: a name in MLX_MANAGER_ALLOWED_HOSTS is answered", async () => {
  await using rt = await testRuntime({ env: { MLX_MANAGER_ALLOWED_HOSTS: "mac.example.lan, Studio.Home" } });
  const server = listen(rt);
  try {
    for (const host of ["mac.example.lan", "studio.home:8080"]) {
      const res = await rebound(server.url, host, "/health");
      assert.equal(res.status, 200, host);
      await res.body?.cancel();
    }
    const other = await rebound(server.url, "other.example.lan", "/health");
    assert.equal(other.status, 421);
    await other.body?.cancel();
  } finally {
    await server.stop();
  }
});

Deno.test("isAllowedHost() takes IP literals, localhost, the machine's name and <name>.local", () => {
  const allowed = ["studio.lan"];
  for (
    const host of [
      "10.0.0.2:8080",
      "[::1]:8080",
      "[fe80::1%25en0]",
      "localhost",
      "LOCALHOST:1",
      "mac",
      "mac.local",
      "Mac.Local.",
      "studio.lan",
    ]
  ) {
    assert.equal(isAllowedHost(host, "Mac", allowed), true, host);
  }
  for (
    const host of [
      "evil.com",
      "localhost.evil.com",
      "mac.evil.com",
      "1.2.3.4.evil.com",
      "999.1.1.1",
      "studio.lan.evil",
    ]
  ) {
    assert.equal(isAllowedHost(host, "Mac", allowed), false, host);
  }
});
