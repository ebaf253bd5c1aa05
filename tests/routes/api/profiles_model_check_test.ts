import assert from "node:assert/strict";
import { join } from "node:path";
import { startFakeHub } from "../../fixtures/fake_hub.ts";
import { createUser, json, type TestUser } from "../../helpers/auth.ts";
import { freePort } from "../../helpers/net.ts";
import { type TestRuntime, testRuntime } from "../../helpers/runtime.ts";
import { modelDir } from "../../helpers/servers.ts";

const MODEL = "mlx-community/Qwen3-8B-4bit";

function save(rt: TestRuntime, user: TestUser, body: Record<string, unknown>, id?: number) {
  const fields = id ? body : { name: `p-${crypto.randomUUID().slice(0, 6)}`, port: freePort(), ...body };
  return rt.app.request(
    id ? `/api/profiles/${id}` : "/api/profiles",
    json(id ? "PUT" : "POST", fields, user.headers),
  );
}

async function refusal(res: Response): Promise<string> {
  assert.equal(res.status, 422, await res.clone().text());
  const body = await res.json();
  assert.equal(body.code, "model_not_found");
  assert.equal(body.fields.model_path, body.detail, "the message is the field's");
  return body.detail;
}

Deno.test("saving a profile refuses a folder that does not exist and a repository the hub does not know, at the model field", async () => {
  const hub = startFakeHub([{ id: MODEL }, { id: "org/Gated", gated: "manual" }]);
  await using rt = await testRuntime({ env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url } });
  try {
    const admin = await createUser(rt, { admin: true });
    const missing = join(rt.dataDir, "no-such-model");
    assert.equal(
      await refusal(await save(rt, admin, { model_path: missing })),
      `There is no folder ${missing} on this Mac: check the path`,
    );
    const folder = await modelDir(rt.dataDir);
    assert.match(
      await refusal(await save(rt, admin, { model_path: join(folder, "config.json") })),
      /config\.json is a file, not a model folder/,
    );
    // A typo: signed out, the hub answers 401 "Invalid username or password." for it.
    const typo = await refusal(await save(rt, admin, { model_path: "mlx-community/Qwen3-8B-4bti" }));
    assert.match(typo, /^mlx-community\/Qwen3-8B-4bti was not found on Hugging Face: check the name/);
    assert.doesNotMatch(typo, /gated|Invalid username/);
    assert.equal(rt.deps.profiles.list().length, 0, "nothing was saved");

    // What exists is saved: a folder, a repository on the hub (not downloaded), a gated one.
    for (const model_path of [folder, MODEL, "org/Gated"]) {
      const res = await save(rt, admin, { model_path });
      assert.equal(res.status, 201, `${model_path}: ${await res.text()}`);
    }

    // An edit checks a changed path only: a profile whose folder has gone keeps its other edits.
    const [local] = rt.deps.profiles.list();
    await Deno.remove(folder, { recursive: true });
    assert.equal((await save(rt, admin, { description: "kept" }, local.id)).status, 200);
    await refusal(await save(rt, admin, { model_path: "org/Nope" }, local.id));
    assert.equal(rt.deps.profiles.get(local.id).model_path, folder, "the refused edit changed nothing");
  } finally {
    await hub.close();
  }
});

Deno.test("an offline or unreachable hub does not block saving a repository id", async () => {
  for (
    const env of <Record<string, string>[]> [
      { MLX_MANAGER_OFFLINE: "true" },
      { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: `http://127.0.0.1:${freePort()}` },
    ]
  ) {
    await using rt = await testRuntime({ env });
    const admin = await createUser(rt, { admin: true });
    const res = await save(rt, admin, { model_path: "mlx-community/Not-Checked-4bit" });
    assert.equal(res.status, 201, `${JSON.stringify(env)}: ${await res.text()}`);
  }
});
