import assert from "node:assert/strict";
import { listen, testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, json } from "../../helpers/auth.ts";
import { collectSse } from "../../helpers/sse.ts";
import { SECRET_MASK } from "../../../lib/mcp_types.ts";

const ARGS = ["-y", "@acme/mcp-server", "--api-key", "sk-live-9f8e7d6c5b4a"];

Deno.test("an MCP server's arguments are masked like its env values for users, in the API, the pages and the live events, and shown to admins", async () => {
  await using rt = await testRuntime({ env: { MLX_MANAGER_SSE_KEEPALIVE: "30" } });
  const { admin, user } = await adminAndUser(rt);
  const created = await rt.app.request(
    "/api/mcp/servers",
    json("POST", {
      name: "acme",
      transport: "stdio",
      command: "npx",
      args: ARGS,
      env: { ACME_TOKEN: "tok-123456" },
      enabled: false,
    }, admin.headers),
  );
  assert.equal(created.status, 201);
  const { id } = await created.json();
  const get = async (path: string, headers: Record<string, string>) => {
    const res = await rt.app.request(path, { headers });
    assert.equal(res.status, 200);
    return res;
  };
  const acme = (list: { id: number; args: string[]; env: Record<string, string> }[]) =>
    list.find((s) => s.id === id)!;

  const forUser = acme(await (await get("/api/mcp/servers", user.headers)).json());
  assert.deepEqual(forUser.args, ARGS.map(() => SECRET_MASK));
  assert.deepEqual(forUser.env, { ACME_TOKEN: SECRET_MASK });
  assert.deepEqual(
    (await (await get(`/api/mcp/servers/${id}`, user.headers)).json()).args,
    ARGS.map(() => SECRET_MASK),
  );
  assert.deepEqual(acme(await (await get("/api/mcp/servers", admin.headers)).json()).args, ARGS);
  assert.deepEqual((await (await get(`/api/mcp/servers/${id}`, admin.headers)).json()).args, ARGS);
  for (const page of ["/system", "/chat"]) {
    const html = await (await get(page, user.headers)).text();
    assert.ok(html.includes("acme"), `${page} lists the server`);
    assert.ok(!html.includes("sk-live-9f8e7d6c5b4a"), `${page} shows a user the arguments`);
  }
  assert.ok((await (await get("/system", admin.headers)).text()).includes("sk-live-9f8e7d6c5b4a"));

  // A change to the server reaches every open page: with the arguments for admins only.
  const server = listen(rt);
  try {
    const [userStream, adminStream] = await Promise.all([
      fetch(`${server.url}/api/events`, { headers: user.headers }),
      fetch(`${server.url}/api/events`, { headers: admin.headers }),
    ]);
    const changed = (b: { event?: string }) => b.event === "mcp.changed";
    const seen = Promise.all([collectSse(userStream, changed), collectSse(adminStream, changed)]);
    const renamed = await rt.app.request(
      `/api/mcp/servers/${id}`,
      json("PUT", {
        name: "acme-2",
        transport: "stdio",
        command: "npx",
        args: ARGS,
        env: { ACME_TOKEN: SECRET_MASK },
        enabled: false,
      }, admin.headers),
    );
    assert.equal(renamed.status, 200);
    const [userSaw, adminSaw] = await seen;
    assert.deepEqual(JSON.parse(userSaw.at(-1)!.data!).server.args, ARGS.map(() => SECRET_MASK));
    assert.deepEqual(JSON.parse(adminSaw.at(-1)!.data!).server.args, ARGS);
  } finally {
    await server.stop();
  }
});
