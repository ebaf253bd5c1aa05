import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { adminAndUser, type TestUser } from "../helpers/auth.ts";
import { modelDir, serverEnv } from "../helpers/servers.ts";
import { freePort, waitFor } from "../helpers/net.ts";
import { insertDownload, updateDownload } from "../../db/downloads.ts";

async function setup() {
  const rt = await testRuntime({ env: serverEnv() });
  const { admin, user } = await adminAndUser(rt);
  const server = listen(rt);
  const call = async (who: TestUser, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...who.headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  };
  return {
    rt,
    admin,
    user,
    call,
    async [Symbol.asyncDispose]() {
      await server.stop();
      await rt.close();
    },
  };
}

Deno.test("roles: only admins create, edit, duplicate and delete profiles; users see them and start and stop servers", async () => {
  await using t = await setup();
  const { call, admin, user } = t;
  const dir = await modelDir(t.rt.dataDir);
  const risky = { name: "open", model_path: dir, port: freePort(), trust_remote_code: true, host: "0.0.0.0" };
  const refused = await call(user, "POST", "/api/profiles", risky);
  assert.equal(refused.status, 403);
  assert.equal(refused.json().detail, "Only an admin can create profiles");
  assert.equal(t.rt.deps.profiles.list().length, 0);

  const created = await call(admin, "POST", "/api/profiles", {
    name: "qwen",
    model_path: dir,
    port: freePort(),
  });
  assert.equal(created.status, 201);
  const id = created.json().id;
  assert.equal((await call(user, "PUT", `/api/profiles/${id}`, { host: "0.0.0.0" })).status, 403);
  assert.equal((await call(user, "POST", `/api/profiles/${id}/duplicate?new_name=copy`)).status, 403);
  assert.equal((await call(user, "DELETE", `/api/profiles/${id}`)).status, 403);
  assert.equal(t.rt.deps.profiles.get(id).host, "127.0.0.1");
  assert.equal(t.rt.deps.profiles.list().length, 1);

  assert.equal((await call(user, "GET", "/api/profiles")).json().length, 1);
  assert.equal((await call(user, "GET", `/api/profiles/${id}`)).status, 200);
  assert.equal((await call(user, "POST", `/api/servers/${id}/start`)).status, 200);
  await waitFor(() => t.rt.deps.supervisor.status(id).state === "running", "the user's server runs");
  assert.equal((await call(user, "POST", `/api/servers/${id}/stop`)).status, 200);
  await waitFor(() => t.rt.deps.supervisor.status(id).state === "stopped", "the user's server stops");

  assert.equal((await call(admin, "PUT", `/api/profiles/${id}`, { description: "shared" })).status, 200);
  assert.equal((await call(admin, "POST", `/api/profiles/${id}/duplicate?new_name=copy`)).status, 201);
  assert.equal((await call(admin, "DELETE", `/api/profiles/${id}`)).status, 204);
});

Deno.test("roles: only admins delete models and dismiss other users' downloads", async () => {
  await using t = await setup();
  const { call, admin, user } = t;
  const model = await call(user, "DELETE", "/api/models/mlx-community/Qwen3-8B-4bit?force=1");
  assert.equal(model.status, 403);
  assert.equal(model.json().detail, "Only an admin can delete models");
  assert.notEqual(
    (await call(admin, "DELETE", "/api/models/mlx-community/Qwen3-8B-4bit?force=1")).status,
    403,
  );

  const db = t.rt.db;
  const theirs = insertDownload(db, {
    taskId: "t-admin",
    modelId: "org/a",
    repoExisted: false,
    requestedBy: admin.id,
  });
  const mine = insertDownload(db, {
    taskId: "t-user",
    modelId: "org/b",
    repoExisted: false,
    requestedBy: user.id,
  });
  for (const row of [theirs, mine]) updateDownload(db, row.id, { status: "completed" });
  const other = await call(user, "POST", "/api/models/download/t-admin/dismiss");
  assert.equal(other.status, 403);
  assert.match(other.json().detail, /another user's download/);
  assert.equal((await call(user, "POST", "/api/models/download/t-user/dismiss")).status, 204);
  assert.equal((await call(admin, "POST", "/api/models/download/t-admin/dismiss")).status, 204);
});

Deno.test("roles: detect-options reads a folder's config.json for users only when a profile uses it or it is in the HF cache", async () => {
  await using t = await setup();
  const { call, admin, user } = t;
  const folder = `${t.rt.dataDir}/private-model`;
  await Deno.mkdir(folder, { recursive: true });
  await Deno.writeTextFile(`${folder}/config.json`, JSON.stringify({ model_type: "qwen3" }));
  const before = (await call(user, "GET", `/api/models/detect-options/${folder}`)).json();
  assert.equal(before.is_downloaded, false, "an unknown folder is not read");
  assert.equal((await call(admin, "GET", `/api/models/detect-options/${folder}`)).json().is_downloaded, true);

  assert.equal(
    (await call(admin, "POST", "/api/profiles", { name: "local", model_path: folder, port: freePort() }))
      .status,
    201,
  );
  const after = (await call(user, "GET", `/api/models/detect-options/${folder}`)).json();
  assert.equal(after.is_downloaded, true);
  assert.equal(after.model_family, "qwen3");
});

Deno.test("roles: the pages hide what a user cannot do, and the new-profile page is refused", async () => {
  await using t = await setup();
  const { call, admin, user } = t;
  const dir = await modelDir(t.rt.dataDir);
  const { id } =
    (await call(admin, "POST", "/api/profiles", { name: "qwen", model_path: dir, port: freePort() }))
      .json();
  const page = async (who: TestUser, path: string) =>
    new DOMParser().parseFromString((await call(who, "GET", path)).text, "text/html");

  const asUser = await page(user, "/profiles");
  const buttons = (doc: typeof asUser) =>
    [...doc.querySelectorAll("a, button")].map((e) => e.textContent!.trim());
  assert.ok(!buttons(asUser).includes("New profile"));
  assert.ok(!buttons(asUser).includes("Edit"));
  assert.ok(!buttons(asUser).includes("Delete"));
  assert.ok(!buttons(asUser).includes("Duplicate"));
  assert.ok(asUser.querySelector(`a[href="/profiles/${id}"]`), "users still see each profile");
  const asAdmin = await page(admin, "/profiles");
  for (const label of ["New profile", "Edit", "Delete", "Duplicate"]) {
    assert.ok(buttons(asAdmin).includes(label), label);
  }

  // The dashboard offers a new profile to admins only, also when there is none yet.
  assert.ok(!buttons(await page(user, "/servers")).includes("New profile"));
  assert.ok(buttons(await page(admin, "/servers")).includes("New profile"));

  const form = await page(user, `/profiles/${id}`);
  assert.equal(form.querySelector("[data-testid=profile-form] button[type=submit]"), null);
  assert.match(
    form.querySelector("[data-testid=profile-form]")!.textContent!,
    /Only an admin can change profiles/,
  );
  assert.ok(
    (await page(admin, `/profiles/${id}`)).querySelector("[data-testid=profile-form] button[type=submit]"),
  );
  assert.equal((await call(user, "GET", "/profiles/new")).status, 403);
  assert.equal((await call(admin, "GET", "/profiles/new")).status, 200);
});
