import assert from "node:assert/strict";
import { createUser, json } from "../../helpers/auth.ts";
import { testRuntime } from "../../helpers/runtime.ts";

Deno.test("Profiles refuses the manager's own port (409 naming it) on create and edit, and never offers it", async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  await using rt = await testRuntime({
    env: { MLX_MANAGER_PORT: String(port), MLX_MANAGER_DEFAULT_PORT_START: String(port) },
  });
  const admin = await createUser(rt, { admin: true });
  const body = { name: "Qwen", model_path: "mlx-community/Qwen3-8B-4bit", port };
  const refused = await rt.app.request("/api/profiles", json("POST", body, admin.headers));
  assert.equal(refused.status, 409);
  const answer = await refused.json();
  assert.equal(answer.detail, `Port ${port} is MLX Manager's own port (MLX_MANAGER_PORT): choose another`);
  assert.equal(answer.fields.port, answer.detail);
  assert.equal(rt.deps.profiles.list().length, 0);

  const next = await (await rt.app.request("/api/profiles/next-port", { headers: admin.headers })).json();
  assert.ok(next.port > port, `next port ${next.port}`);
  const created = await rt.app.request(
    "/api/profiles",
    json("POST", { ...body, port: next.port }, admin.headers),
  );
  assert.equal(created.status, 201);
  const profile = await created.json();
  const edit = await rt.app.request(`/api/profiles/${profile.id}`, json("PUT", { port }, admin.headers));
  assert.equal(edit.status, 409);
  assert.match((await edit.json()).detail, new RegExp(`Port ${port} is MLX Manager's own port`));
  assert.equal(rt.deps.profiles.get(profile.id).port, next.port);
});
