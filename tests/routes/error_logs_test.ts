import assert from "node:assert/strict";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { adminAndUser, json } from "../helpers/auth.ts";

Deno.test("onError: expected refusals (501 off macOS, 4xx) are not logged as errors with stack traces", async () => {
  const logs: string[] = [];
  await using rt = await testRuntime({ logs, platform: { os: "linux" } });
  const { admin } = await adminAndUser(rt);
  const server = listen(rt);
  try {
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${server.url}${path}`, {
        ...init,
        headers: { ...admin.headers, ...(init.headers as Record<string, string>) },
      });
      await res.body?.cancel();
      return res.status;
    };
    const created = await fetch(
      `${server.url}/api/profiles`,
      json("POST", { name: "p", model_path: "org/model", port: 20001 }, admin.headers),
    );
    assert.equal(created.status, 201);
    const profile = await created.json();
    assert.equal(await call(`/api/system/launchd/install/${profile.id}`, { method: "POST" }), 501);
    assert.equal(await call("/api/profiles/999999"), 404);
    assert.equal(await call("/api/profiles", json("POST", { name: "" })), 422);
    assert.equal(
      await call("/api/auth/login", json("POST", { email: "a@b.c", password: "wrong-password" })),
      401,
    );
  } finally {
    await server.stop();
  }
  const text = logs.join("\n");
  assert.doesNotMatch(text, / ERROR /, text);
  assert.doesNotMatch(text, /\n\s+at /, "no stack trace");
  assert.match(text, /WARN POST \/api\/system\/launchd\/install\/\d+: launchd services are macOS-only/);
});

Deno.test("onError: an unexpected failure is logged as an error with its stack and answered 500", async () => {
  const logs: string[] = [];
  await using rt = await testRuntime({ logs });
  const { admin } = await adminAndUser(rt);
  // A broken dependency, as a bug would break it.
  rt.deps.profiles.list = () => {
    throw new TypeError("boom from a bug");
  };
  const res = await rt.app.request("/api/profiles", { headers: admin.headers });
  assert.equal(res.status, 500);
  assert.equal((await res.json()).detail, "Internal server error");
  const text = logs.join("\n");
  assert.match(text, /ERROR GET \/api\/profiles failed.*boom from a bug/s);
  assert.match(text, /at /);
});
