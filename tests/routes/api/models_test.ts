import assert from "node:assert/strict";
import { join } from "node:path";
import { createUser, json, type TestUser } from "../../helpers/auth.ts";
import { type TestRuntime, testRuntime } from "../../helpers/runtime.ts";
import { collectSse } from "../../helpers/sse.ts";
import { type FakeHub, type FakeRepoSpec, qwen3Config, startFakeHub } from "../../fixtures/fake_hub.ts";
import { MODEL_CONFIGS } from "../../fixtures/model_configs.ts";
import type { DownloadView, LocalModel, SearchResult } from "../../../lib/model_types.ts";

const GiB = 1024 ** 3;

const REPOS: FakeRepoSpec[] = [
  { id: "mlx-community/Qwen3-8B-4bit", downloads: 900, likes: 10, trendingScore: 5, weightBytes: 200_000 },
  {
    id: "mlx-community/Qwen3-VL-8B-Instruct-4bit",
    downloads: 500,
    likes: 80,
    trendingScore: 9,
    config: MODEL_CONFIGS["mlx-community/Qwen3-VL-8B-Instruct-4bit"],
    tags: ["mlx", "image-text-to-text"],
  },
  {
    id: "mlx-community/Llama-3.2-3B-Instruct-8bit",
    downloads: 700,
    likes: 30,
    config: MODEL_CONFIGS["mlx-community/Llama-3.2-3B-Instruct-8bit"],
    lastModified: "2026-01-01T00:00:00.000Z",
  },
  // No safetensors summary: its size is estimated from the name (70B at 4 bits ≈ 36 GiB).
  {
    id: "mlx-community/Huge-70B-4bit",
    downloads: 100,
    files: [{ path: "config.json", content: JSON.stringify(qwen3Config()) }],
  },
  { id: "someone-else/Qwen3-8B-mlx", downloads: 5000, tags: ["mlx"] },
  { id: "someone-else/Not-MLX", downloads: 9000, tags: ["pytorch"] },
  { id: "org/Gated-Model", gated: "manual", tags: ["mlx"] },
  { id: "org/No-Config", files: [{ path: "README.md", content: "hi" }], tags: ["mlx"] },
];

interface Ctx {
  hub: FakeHub;
  rt: TestRuntime;
  user: TestUser;
  get(path: string): Promise<Response>;
}

async function withApp(fn: (ctx: Ctx) => Promise<void>, env: Record<string, string> = {}): Promise<void> {
  const hub = startFakeHub(REPOS);
  const rt = await testRuntime({
    env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url, ...env },
    runtime: { totalMemory: () => 16 * GiB },
  });
  try {
    const user = await createUser(rt, { admin: true });
    await fn({ hub, rt, user, get: async (path) => await rt.app.request(path, { headers: user.headers }) });
  } finally {
    await rt.close();
    await hub.close();
  }
}

async function body<T>(res: Response, status = 200): Promise<T> {
  assert.equal(res.status, status, await res.clone().text());
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  return await res.json() as T;
}

async function waitDone(ctx: Ctx, taskId: string): Promise<DownloadView> {
  for (let i = 0; i < 300; i++) {
    const view = await body<DownloadView>(await ctx.get(`/api/models/download/${taskId}`));
    if (["completed", "failed", "cancelled"].includes(view.status)) return view;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("The download did not finish");
}

Deno.test("GET /api/models/* needs a session", async () => {
  await using rt = await testRuntime();
  for (const path of ["/api/models/search?query=x", "/api/models/local", "/api/models/downloads/active"]) {
    const res = await rt.app.request(path);
    assert.equal(res.status, 401, path);
    await res.body?.cancel();
  }
});

Deno.test("GET /api/models/search lists mlx-community MLX models with detection, size and fit", async () => {
  await withApp(async (ctx) => {
    const results = await body<SearchResult[]>(await ctx.get("/api/models/search"));
    assert.deepEqual(results.map((r) => r.model_id), [
      "mlx-community/Qwen3-8B-4bit",
      "mlx-community/Llama-3.2-3B-Instruct-8bit",
      "mlx-community/Qwen3-VL-8B-Instruct-4bit",
      "mlx-community/Huge-70B-4bit",
    ]);
    const [qwen, llama, vl] = results;
    assert.equal(qwen.author, "mlx-community");
    assert.equal(qwen.downloads, 900);
    assert.equal(qwen.likes, 10);
    assert.equal(qwen.is_downloaded, false);
    assert.equal(qwen.gated, false);
    assert.ok(qwen.tags.includes("mlx"));
    assert.equal(qwen.characteristics.source, "config");
    assert.equal(qwen.characteristics.architecture_family, "Qwen");
    assert.equal(qwen.characteristics.quantization_bits, 4);
    assert.equal(qwen.characteristics.is_tool_use, true);
    assert.equal(qwen.characteristics.parameter_count, 8e9);
    assert.ok(qwen.size_bytes! > 190_000 && qwen.size_bytes! < 210_000);
    // The fake's 200 KB of weights are too little for 8B parameters: the size is not known.
    assert.equal(qwen.fit.verdict, "unknown");
    assert.equal(qwen.fit.total_memory_bytes, 16 * GiB);
    assert.equal(llama.characteristics.quantization_bits, 8);
    assert.equal(llama.characteristics.is_tool_use, false);
    assert.equal(llama.last_modified, "2026-01-01T00:00:00.000Z");
    assert.equal(vl.characteristics.is_multimodal, true);
    // The configs are cached per model: a second search does not fetch them again.
    const before = ctx.hub.requests.filter((r) => r.path.endsWith("/config.json")).length;
    assert.equal(before, 4);
    await body(await ctx.get("/api/models/search"));
    assert.equal(ctx.hub.requests.filter((r) => r.path.endsWith("/config.json")).length, before);
  });
});

Deno.test("GET /api/models/search honours query, author, sort, limit and max_size_gb", async () => {
  await withApp(async (ctx) => {
    const ids = async (q: string) =>
      (await body<SearchResult[]>(await ctx.get(`/api/models/search?${q}`))).map((r) => r.model_id);
    assert.deepEqual(await ids("query=qwen3"), [
      "mlx-community/Qwen3-8B-4bit",
      "mlx-community/Qwen3-VL-8B-Instruct-4bit",
    ]);
    assert.deepEqual(await ids("sort=likes&limit=2"), [
      "mlx-community/Qwen3-VL-8B-Instruct-4bit",
      "mlx-community/Llama-3.2-3B-Instruct-8bit",
    ]);
    assert.deepEqual((await ids("sort=trending"))[0], "mlx-community/Qwen3-VL-8B-Instruct-4bit");
    assert.deepEqual((await ids("sort=recent"))[0], "mlx-community/Llama-3.2-3B-Instruct-8bit");
    // Another author, and any author (non-MLX repositories never appear).
    assert.deepEqual(await ids("author=someone-else"), ["someone-else/Qwen3-8B-mlx"]);
    const any = await ids("author=&limit=100");
    assert.ok(any.includes("someone-else/Qwen3-8B-mlx") && any.includes("org/Gated-Model"));
    assert.ok(!any.includes("someone-else/Not-MLX"));
    // The 70B model's size comes from its name (4-bit 70B ≈ 36 GiB), over the limit; unknown sizes would pass.
    assert.ok(!(await ids("max_size_gb=10")).includes("mlx-community/Huge-70B-4bit"));
    assert.ok((await ids("max_size_gb=100")).includes("mlx-community/Huge-70B-4bit"));
  });
});

Deno.test("GET /api/models/search marks gated models and guesses when a repo has no config", async () => {
  await withApp(async (ctx) => {
    const results = await body<SearchResult[]>(await ctx.get("/api/models/search?author=org"));
    const gated = results.find((r) => r.model_id === "org/Gated-Model")!;
    assert.equal(gated.gated, "manual");
    const bare = results.find((r) => r.model_id === "org/No-Config")!;
    assert.equal(bare.characteristics.source, "name");
  });
});

Deno.test("GET /api/models/search rejects bad parameters with a message per field", async () => {
  await withApp(async (ctx) => {
    for (
      const [q, field] of [["limit=0", "limit"], ["limit=500", "limit"], ["sort=size", "sort"], [
        "max_size_gb=-1",
        "max_size_gb",
      ], ["author=a/b", "author"]]
    ) {
      const res = await body<{ detail: string; fields: Record<string, string> }>(
        await ctx.get(`/api/models/search?${q}`),
        422,
      );
      assert.ok(res.fields[field], q);
    }
  });
});

Deno.test("GET /api/models/search says when the hub cannot be reached, and in offline mode", async () => {
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  await withApp(async (ctx) => {
    const res = await body<{ detail: string; code: string }>(
      await ctx.get("/api/models/search?query=x"),
      502,
    );
    assert.equal(res.code, "hub_unreachable");
    assert.match(res.detail, new RegExp(`Cannot reach Hugging Face at http://127.0.0.1:${port}`));
    const download = await ctx.rt.app.request(
      "/api/models/download",
      json("POST", { model_id: "org/x" }, ctx.user.headers),
    );
    assert.equal((await body<{ code: string }>(download, 502)).code, "hub_unreachable");
  }, { HF_ENDPOINT: `http://127.0.0.1:${port}` });
  await withApp(async (ctx) => {
    const res = await body<{ detail: string; code: string }>(
      await ctx.get("/api/models/search?query=x"),
      503,
    );
    assert.equal(res.code, "offline");
    assert.match(res.detail, /offline mode/);
    assert.equal(ctx.hub.requests.length, 0);
  }, { MLX_MANAGER_OFFLINE: "true" });
});

Deno.test("a download through the API: one job for two requests, SSE progress, then listed as local", async () => {
  await withApp(async (ctx) => {
    const id = "mlx-community/Qwen3-8B-4bit";
    const post = () =>
      ctx.rt.app.request("/api/models/download", json("POST", { model_id: id }, ctx.user.headers));
    const [a, b] = await Promise.all([post(), post()]);
    const first = await body<{ task_id: string; model_id: string; joined: boolean }>(a);
    const second = await body<{ task_id: string; joined: boolean }>(b);
    assert.equal(first.task_id, second.task_id);
    assert.equal(first.model_id, id);
    assert.deepEqual([first.joined, second.joined].sort(), [false, true]);
    const stream = await ctx.get(`/api/models/download/${first.task_id}/progress`);
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get("content-type")!, /text\/event-stream/);
    const blocks = await collectSse(
      stream,
      (b) => /"status":"(completed|failed)"/.test(b.data ?? ""),
      15_000,
    );
    const last = JSON.parse(blocks.at(-1)!.data!) as DownloadView;
    assert.equal(last.status, "completed", last.error ?? "");
    assert.equal(last.progress, 100);
    assert.equal(
      blocks.at(-1)!.event,
      undefined,
      "plain data messages, as clients read them",
    );
    const active = await body<DownloadView[]>(await ctx.get("/api/models/downloads/active"));
    assert.deepEqual(active, []);
    const all = await body<DownloadView[]>(await ctx.get("/api/models/downloads"));
    assert.deepEqual(all.map((d) => d.status), ["completed"]);
    const local = await body<LocalModel[]>(await ctx.get("/api/models/local"));
    assert.deepEqual(local.map((m) => m.model_id), [id]);
    assert.equal(local[0].complete, true);
    assert.equal(local[0].characteristics?.architecture_family, "Qwen");
    assert.ok(local[0].size_bytes > 200_000);
    const search = await body<SearchResult[]>(await ctx.get("/api/models/search?query=Qwen3-8B"));
    assert.equal(search.find((r) => r.model_id === id)!.is_downloaded, true);
    const storage = await body<{ cache_bytes: number; disk_free_bytes: number }>(
      await ctx.get("/api/models/storage"),
    );
    assert.equal(storage.cache_bytes, local[0].size_bytes);
    assert.ok(storage.disk_free_bytes > 0);
    // Deleting it removes the folder; the id may carry its slash unencoded.
    const del = await ctx.rt.app.request(`/api/models/${id}`, {
      method: "DELETE",
      headers: ctx.user.headers,
    });
    const deleted = await body<{ deleted: boolean; downloads_removed: string[] }>(del);
    assert.equal(deleted.deleted, true);
    assert.equal(deleted.downloads_removed.length, 1, "its finished download went with it");
    assert.deepEqual(await body<LocalModel[]>(await ctx.get("/api/models/local")), []);
  });
});

Deno.test("download job endpoints answer 404 for unknown tasks and 409 for impossible actions", async () => {
  await withApp(async (ctx) => {
    assert.equal(
      (await body<{ detail: string }>(await ctx.get("/api/models/download/nope"), 404)).detail,
      "Download not found",
    );
    const sse = await ctx.get("/api/models/download/nope/progress");
    assert.equal(sse.status, 404);
    await sse.body?.cancel();
    const post = (path: string) => ctx.rt.app.request(path, { method: "POST", headers: ctx.user.headers });
    const { task_id } = await body<{ task_id: string }>(
      await ctx.rt.app.request(
        "/api/models/download",
        json("POST", { model_id: "mlx-community/Llama-3.2-3B-Instruct-8bit" }, ctx.user.headers),
      ),
    );
    await waitDone(ctx, task_id);
    await body(await post(`/api/models/download/${task_id}/pause`), 409);
    await body(await post(`/api/models/download/${task_id}/cancel`), 409);
    const dismissed = await post(`/api/models/download/${task_id}/dismiss`);
    assert.equal(dismissed.status, 204);
    assert.deepEqual(await body(await ctx.get("/api/models/downloads")), []);
    const bad = await ctx.rt.app.request(
      "/api/models/download",
      json("POST", { model_id: "x" }, ctx.user.headers),
    );
    assert.ok((await body<{ fields: Record<string, string> }>(bad, 422)).fields.model_id);
    const gated = await ctx.rt.app.request(
      "/api/models/download",
      json("POST", { model_id: "org/Gated-Model" }, ctx.user.headers),
    );
    const refused = await body<{ detail: string; code: string }>(gated, 403);
    assert.equal(refused.code, "gated");
    assert.match(refused.detail, /restricted/);
    const missing = await ctx.rt.app.request(
      "/api/models/download",
      json("POST", { model_id: "org/Missing" }, ctx.user.headers),
    );
    assert.match(
      (await body<{ detail: string }>(missing, 404)).detail,
      /^org\/Missing was not found on Hugging Face/,
    );
  });
});

Deno.test("DELETE /api/models/{id} refuses ../ and absolute paths and touches nothing outside the cache", async () => {
  await withApp(async (ctx) => {
    const outside = join(ctx.rt.dataDir, "precious.txt");
    await Deno.writeTextFile(outside, "keep");
    for (
      const path of [
        "/api/models/..%2F..%2Fprecious.txt",
        `/api/models/${encodeURIComponent(outside)}`,
        "/api/models//etc/passwd",
        "/api/models/org/name/extra",
        "/api/models/org/..%2F..%2F..",
      ]
    ) {
      const res = await ctx.rt.app.request(path, { method: "DELETE", headers: ctx.user.headers });
      const refused = await body<{ detail: string; code: string }>(res, 400);
      assert.equal(refused.code, "invalid_model_id", path);
      assert.match(refused.detail, /looks like org\/name/);
    }
    // Plain dot segments never reach the API: the URL itself resolves them away.
    const dots = await ctx.rt.app.request("/api/models/%2E%2E/%2E%2E", {
      method: "DELETE",
      headers: ctx.user.headers,
    });
    assert.equal(dots.status, 404);
    await dots.body?.cancel();
    const res = await ctx.rt.app.request("/api/models/org/absent", {
      method: "DELETE",
      headers: ctx.user.headers,
    });
    assert.equal(res.status, 404);
    await res.body?.cancel();
    assert.equal(await Deno.readTextFile(outside), "keep");
  });
});

Deno.test("GET /api/models/config/{id} reads the hub's config, 204 without one, and stays local offline", async () => {
  await withApp(async (ctx) => {
    const c = await body<{ architecture_family: string; is_multimodal: boolean }>(
      await ctx.get("/api/models/config/mlx-community/Qwen3-VL-8B-Instruct-4bit?tags=mlx,vision"),
    );
    assert.equal(c.architecture_family, "Qwen");
    assert.equal(c.is_multimodal, true);
    const none = await ctx.get("/api/models/config/org/No-Config");
    assert.equal(none.status, 204);
    assert.equal(await none.text(), "");
  });
  await withApp(async (ctx) => {
    const res = await ctx.get("/api/models/config/mlx-community/Qwen3-8B-4bit");
    assert.equal(res.status, 204);
    await res.body?.cancel();
    assert.equal(ctx.hub.requests.length, 0, "offline: the hub is never asked");
  }, { MLX_MANAGER_OFFLINE: "true" });
});

Deno.test("GET /api/models/detect-options/{id} works offline from the local cache", async () => {
  await withApp(async (ctx) => {
    const cache = join(
      ctx.rt.dataDir,
      ".cache",
      "huggingface",
      "hub",
      "models--mlx-community--MiniMax-M2-3bit",
    );
    const commit = "3".repeat(40);
    await Deno.mkdir(join(cache, "snapshots", commit), { recursive: true });
    await Deno.writeTextFile(
      join(cache, "snapshots", commit, "config.json"),
      JSON.stringify(MODEL_CONFIGS["mlx-community/MiniMax-M2-3bit"]),
    );
    const info = await body<Record<string, unknown>>(
      await ctx.get("/api/models/detect-options/mlx-community/MiniMax-M2-3bit"),
    );
    assert.equal(info.model_family, "minimax");
    assert.deepEqual(info.recommended_options, {
      tool_call_parser: "minimax_m2",
      reasoning_parser: "minimax_m2",
      message_converter: "minimax_m2",
    });
    assert.equal(info.is_downloaded, true);
    assert.equal((info.version_support as { required_version: string }).required_version, "0.28.4");
    const llama = await body<Record<string, unknown>>(
      await ctx.get("/api/models/detect-options/meta/Llama-3.1-8B"),
    );
    assert.equal(llama.model_family, null);
    assert.deepEqual(llama.recommended_options, {});
    assert.equal(llama.is_downloaded, false);
    const parsers = await body<{ parsers: string[] }>(await ctx.get("/api/models/available-parsers"));
    assert.ok(parsers.parsers.includes("qwen3_coder"));
    assert.deepEqual(parsers.parsers, [...parsers.parsers].sort());
  }, { MLX_MANAGER_OFFLINE: "true" });
});
