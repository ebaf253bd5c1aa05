import assert from "node:assert/strict";
import { adminAndUser } from "../../helpers/auth.ts";
import { testRuntime } from "../../helpers/runtime.ts";
import { startFakeHub } from "../../fixtures/fake_hub.ts";
import { MODEL_CONFIGS } from "../../fixtures/model_configs.ts";
import type { ModelInfo } from "../../../lib/model_types.ts";

const QWEN = "mlx-community/Qwen3-8B-4bit";
const VL = "mlx-community/Qwen3-VL-8B-Instruct-4bit";
const README = "---\nlicense: apache-2.0\nlibrary_name: mlx\n---\n\n# Qwen3 8B\n\nUse it with `mlx-lm`.\n";

Deno.test("GET /api/models/info/{org}/{name} answers files, sizes, licence, gating, context length and the card", async () => {
  const hub = startFakeHub([
    { id: QWEN, license: "apache-2.0", readme: README },
    { id: VL, config: MODEL_CONFIGS[VL], tags: ["mlx", "license:mit"] },
    { id: "org/Gated-Model", gated: "manual", tags: ["mlx"] },
    { id: "org/Bare", files: [{ path: "weights.npz", size: 1000 }] },
  ]);
  await using rt = await testRuntime({ env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url } });
  try {
    const { user } = await adminAndUser(rt);
    const get = (path: string) => rt.app.request(path, { headers: user.headers });

    const res = await get(`/api/models/info/${QWEN}`);
    assert.equal(res.status, 200);
    const info = await res.json() as ModelInfo;
    assert.equal(info.id, QWEN);
    assert.equal(info.sha, hub.commit(QWEN));
    assert.deepEqual(info.files.map((f) => f.path), [...hub.paths(QWEN)].sort((a, b) => a.localeCompare(b)));
    for (const f of info.files) assert.equal(f.size, hub.file(QWEN, f.path).size, f.path);
    assert.equal(info.total_bytes, hub.paths(QWEN).reduce((n, p) => n + hub.file(QWEN, p).size, 0));
    assert.equal(info.license, "apache-2.0");
    assert.equal(info.gated, false);
    assert.equal(info.context_length, 40960);
    // The front matter is metadata, not part of the card.
    assert.equal(info.readme, "# Qwen3 8B\n\nUse it with `mlx-lm`.\n");
    assert.equal(info.readme_hidden, false);

    // The licence from a tag; a vision model's context length from its text config.
    const vl = await (await get(`/api/models/info/${VL}`)).json() as ModelInfo;
    assert.equal(vl.license, "mit");
    const vlConfig = MODEL_CONFIGS[VL] as { text_config?: { max_position_embeddings?: number } };
    assert.equal(vl.context_length, vlConfig.text_config?.max_position_embeddings ?? null);

    // A gated repository lists its files without a token; its card needs one.
    const gated = await (await get("/api/models/info/org/Gated-Model")).json() as ModelInfo;
    assert.equal(gated.gated, "manual");
    assert.ok(gated.files.length > 0);
    assert.equal(gated.readme, null);
    assert.equal(gated.readme_hidden, true, "its README is listed, but hidden until access is granted");
    assert.equal(gated.context_length, null);

    const bare = await (await get("/api/models/info/org/Bare")).json() as ModelInfo;
    assert.deepEqual(bare.files, [{ path: "weights.npz", size: 1000 }]);
    assert.equal(bare.readme, null);
    assert.equal(bare.readme_hidden, false, "no README at all");
    assert.equal(bare.license, null);
    assert.equal(bare.context_length, null);

    const missing = await get("/api/models/info/org/Missing");
    assert.equal(missing.status, 404);
    assert.match((await missing.json()).detail, /org\/Missing/);
    const bad = await get("/api/models/info/not-a-repo");
    assert.equal(bad.status, 404);
    await bad.body?.cancel();
  } finally {
    await hub.close();
  }
});

Deno.test("GET /api/models/info needs a session and says so offline", async () => {
  await using rt = await testRuntime();
  const anonymous = await rt.app.request(`/api/models/info/${QWEN}`);
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
  const { user } = await adminAndUser(rt);
  const offline = await rt.app.request(`/api/models/info/${QWEN}`, { headers: user.headers });
  assert.equal(offline.status, 503);
  assert.match((await offline.json()).detail, /offline mode/);
});
