import assert from "node:assert/strict";
import { join } from "node:path";
import { openDb } from "../../../db/mod.ts";
import { recordModelUse } from "../../../db/model_configs.ts";
import { AppError } from "../../../lib/errors.ts";
import { type BusEvent, EventBus } from "../../../services/events.ts";
import { FALLBACK_PARSER_LISTS } from "../../../services/hub/parsers.ts";
import { LocalModels, type LocalModelsOptions } from "../../../services/models/local.ts";
import { type ModelUsage, NO_MODEL_USAGE } from "../../../services/models/usage.ts";
import { MODEL_CONFIGS } from "../../fixtures/model_configs.ts";

const GiB = 1024 ** 3;
const C1 = "1111111111111111111111111111111111111111";
const C2 = "2222222222222222222222222222222222222222";

/** Writes a repository the way Python's huggingface_hub does: blobs, relative links, refs/main. */
async function writeRepo(
  cache: string,
  id: string,
  snapshots: Record<string, Record<string, string>>,
  ref: string | null,
): Promise<void> {
  const repo = join(cache, `models--${id.replace("/", "--")}`);
  await Deno.mkdir(join(repo, "blobs"), { recursive: true });
  for (const [commit, files] of Object.entries(snapshots)) {
    for (const [path, content] of Object.entries(files)) {
      const blob = `blob${[...content].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7)}`;
      await Deno.writeTextFile(join(repo, "blobs", blob), content);
      const link = join(repo, "snapshots", commit, ...path.split("/"));
      await Deno.mkdir(join(link, ".."), { recursive: true });
      await Deno.symlink(`${"../".repeat(1 + path.split("/").length)}blobs/${blob}`, link);
    }
  }
  if (ref) {
    await Deno.mkdir(join(repo, "refs"), { recursive: true });
    await Deno.writeTextFile(join(repo, "refs", "main"), ref);
  }
}

async function setup(
  usage: ModelUsage = NO_MODEL_USAGE,
  downloads: Pick<LocalModelsOptions, "downloadFor" | "activeDownloads"> = {},
) {
  const cache = await Deno.makeTempDir({ prefix: "hf-cache-" });
  const db = openDb(":memory:");
  const bus = new EventBus();
  const events: BusEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const local = new LocalModels({
    db,
    bus,
    cacheDir: cache,
    usage,
    diskUsage: () => Promise.resolve({ total: 500 * GiB, free: 200 * GiB, mount: "/" }),
    totalMemory: () => 32 * GiB,
    parserLists: () => FALLBACK_PARSER_LISTS,
    ...downloads,
  });
  return {
    cache,
    db,
    local,
    events,
    async close() {
      db.close();
      await Deno.remove(cache, { recursive: true });
    },
  };
}

const qwenConfig = JSON.stringify(MODEL_CONFIGS["mlx-community/Qwen3-8B-4bit"]);
const vlConfig = JSON.stringify(MODEL_CONFIGS["mlx-community/Qwen3-VL-8B-Instruct-4bit"]);

Deno.test("list() reads a cache written by huggingface_hub, counting each blob once", async () => {
  const s = await setup();
  try {
    const weights = "w".repeat(5000);
    await writeRepo(s.cache, "mlx-community/Qwen3-8B-4bit", {
      [C1]: { "config.json": qwenConfig, "model.safetensors": weights },
      // A newer revision that shares the weights blob and changes the config.
      [C2]: { "config.json": `${qwenConfig} `, "model.safetensors": weights, "nested/extra.json": "{}" },
    }, C2);
    await writeRepo(s.cache, "mlx-community/Qwen3-VL-8B-Instruct-4bit", {
      [C1]: { "config.json": vlConfig, "model.safetensors": "v".repeat(100) },
    }, null);
    await Deno.mkdir(join(s.cache, "datasets--org--data", "snapshots", C1), { recursive: true });
    await Deno.mkdir(join(s.cache, "models--org--empty", "blobs"), { recursive: true });
    const list = await s.local.list();
    assert.deepEqual(list.map((m) => m.model_id), [
      "mlx-community/Qwen3-8B-4bit",
      "mlx-community/Qwen3-VL-8B-Instruct-4bit",
    ]);
    const [qwen, vl] = list;
    assert.equal(qwen.commit, C2);
    assert.equal(qwen.local_path, join(s.cache, "models--mlx-community--Qwen3-8B-4bit", "snapshots", C2));
    assert.equal(qwen.size_bytes, qwenConfig.length + qwenConfig.length + 1 + weights.length + 2);
    assert.equal(qwen.weights_bytes, weights.length);
    assert.equal(qwen.characteristics?.architecture_family, "Qwen");
    assert.equal(qwen.complete, true);
    // A few bytes on disk cannot be the weights of 8B parameters.
    assert.equal(qwen.fit.verdict, "unknown");
    assert.deepEqual(qwen.used_by, []);
    const url = new URL(qwen.create_profile_url, "http://x");
    assert.equal(url.pathname, "/profiles/new");
    assert.equal(url.searchParams.get("model_path"), "mlx-community/Qwen3-8B-4bit");
    assert.equal(url.searchParams.get("model_type"), "lm");
    assert.equal(url.searchParams.get("tool_call_parser"), "qwen3");
    assert.equal(url.searchParams.get("reasoning_parser"), "qwen3");
    assert.equal(url.searchParams.get("message_converter"), null);
    assert.equal(url.searchParams.get("name"), "Qwen3-8B-4bit");
    // Without refs/main the only snapshot is used; a vision model becomes a multimodal profile.
    assert.equal(vl.commit, C1);
    assert.equal(new URL(vl.create_profile_url, "http://x").searchParams.get("model_type"), "multimodal");
    assert.equal(new URL(vl.create_profile_url, "http://x").searchParams.get("tool_call_parser"), "qwen3_vl");
    const storage = await s.local.storage();
    assert.equal(storage.cache_bytes, qwen.size_bytes + vl.size_bytes);
    assert.equal(storage.disk_free_bytes, 200 * GiB);
    assert.equal(storage.cache_path, s.cache);
  } finally {
    await s.close();
  }
});

Deno.test("list() reports usage from the ModelUsage source and the recorded last use", async () => {
  const usage: ModelUsage = {
    profilesUsing: (id, folder) =>
      id === "org/a" && folder.endsWith("models--org--a") ? [{ id: 1, name: "Chat" }] : [],
    runningUsing: (id) => id === "org/a" ? [{ id: 1, name: "Chat" }] : [],
  };
  const s = await setup(usage);
  try {
    await writeRepo(s.cache, "org/a", { [C1]: { "config.json": qwenConfig } }, C1);
    recordModelUse(s.db, "org/a", "2999-01-01T00:00:00.000Z");
    const [a] = await s.local.list();
    assert.deepEqual(a.used_by, [{ id: 1, name: "Chat" }]);
    assert.deepEqual(a.running, [{ id: 1, name: "Chat" }]);
    assert.equal(a.last_used_at, "2999-01-01T00:00:00.000Z");
    assert.equal(a.complete, false, "no weights yet");
  } finally {
    await s.close();
  }
});

Deno.test("delete() refuses ids that are not org/name and never leaves the cache", async () => {
  const s = await setup();
  const outside = await Deno.makeTempDir({ prefix: "outside-" });
  try {
    await Deno.writeTextFile(join(outside, "precious.txt"), "keep");
    // A repository folder that is a link to somewhere else.
    await Deno.symlink(outside, join(s.cache, "models--org--escape"));
    for (const bad of ["../outside", "/etc/passwd", "org/../../x", "a/b/c", "org", "..", `..${outside}`]) {
      await assert.rejects(
        () => s.local.delete(bad),
        (e: AppError) => e.code === "bad_request" && e.reason === "invalid_model_id",
        bad,
      );
    }
    await assert.rejects(
      () => s.local.delete("org/escape"),
      (e: AppError) =>
        e.code === "bad_request" && e.reason === "outside_cache" && /outside the model cache/.test(e.message),
    );
    assert.equal(await Deno.readTextFile(join(outside, "precious.txt")), "keep");
    await assert.rejects(() => s.local.delete("org/missing"), (e: AppError) => e.code === "not_found");
  } finally {
    await s.close();
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("delete() refuses a model a running server uses unless forced", async () => {
  const running: ModelUsage = { profilesUsing: () => [], runningUsing: () => [{ id: 7, name: "Coder" }] };
  const s = await setup(running);
  try {
    await writeRepo(s.cache, "org/busy", { [C1]: { "config.json": qwenConfig } }, C1);
    await assert.rejects(
      () => s.local.delete("org/busy"),
      (e: AppError) => e.code === "conflict" && e.reason === "in_use" && /Coder/.test(e.message),
    );
    assert.ok((await Deno.stat(join(s.cache, "models--org--busy"))).isDirectory);
    await s.local.delete("org/busy", { force: true });
    await assert.rejects(Deno.lstat(join(s.cache, "models--org--busy")), Deno.errors.NotFound);
    assert.ok(
      s.events.some((e) => e.type === "models.changed" && (e.data as { id: string }).id === "org/busy"),
    );
  } finally {
    await s.close();
  }
});

/** The modification times the listing's cache keys on, to put them back after a change. */
async function stamps(cache: string, id: string, commit: string): Promise<Map<string, Date>> {
  const repo = join(cache, `models--${id.replace("/", "--")}`);
  const paths = [
    join(repo, "blobs"),
    join(repo, "snapshots", commit),
    join(repo, "snapshots", commit, "config.json"),
  ];
  return new Map(
    await Promise.all(paths.map(async (p) => [p, (await Deno.stat(p)).mtime!] as [string, Date])),
  );
}

async function restore(times: Map<string, Date>): Promise<void> {
  for (const [path, at] of times) await Deno.utime(path, at, at);
}

Deno.test("list() describes a model again when its refs/main moves to another commit", async () => {
  const s = await setup();
  try {
    await writeRepo(
      s.cache,
      "org/moving",
      { [C1]: { "config.json": qwenConfig, "model.safetensors": "a" } },
      C1,
    );
    const before = await stamps(s.cache, "org/moving", C1);
    const [first] = await s.local.list();
    assert.equal(first.commit, C1);
    assert.equal(first.weights_bytes, 1);
    await writeRepo(
      s.cache,
      "org/moving",
      { [C2]: { "config.json": vlConfig, "model.safetensors": "bb" } },
      C2,
    );
    await restore(before); // only the commit says that something changed
    const [second] = await s.local.list();
    assert.equal(second.commit, C2);
    assert.equal(second.weights_bytes, 2);
    assert.equal(new URL(second.create_profile_url, "http://x").searchParams.get("model_type"), "multimodal");
  } finally {
    await s.close();
  }
});

Deno.test("list() describes a model again when a download adds files to its snapshot", async () => {
  const s = await setup();
  try {
    await writeRepo(s.cache, "org/growing", { [C1]: { "config.json": qwenConfig } }, C1);
    const [first] = await s.local.list();
    assert.equal(first.complete, false, "no weights yet");
    await writeRepo(s.cache, "org/growing", { [C1]: { "model.safetensors": "w".repeat(300) } }, C1);
    const [second] = await s.local.list();
    assert.equal(second.weights_bytes, 300);
    assert.equal(second.size_bytes, qwenConfig.length + 300);
    assert.equal(second.complete, true);
  } finally {
    await s.close();
  }
});

Deno.test("list() forgets a deleted model: one put back at the same commit and times is read again", async () => {
  const s = await setup();
  try {
    for (const removal of ["delete()", "removed outside"]) {
      await writeRepo(
        s.cache,
        "org/back",
        { [C1]: { "config.json": qwenConfig, "model.safetensors": "a" } },
        C1,
      );
      const times = await stamps(s.cache, "org/back", C1);
      assert.equal((await s.local.list())[0].weights_bytes, 1, removal);
      if (removal === "delete()") await s.local.delete("org/back");
      else await Deno.remove(join(s.cache, "models--org--back"), { recursive: true });
      assert.deepEqual(await s.local.list(), [], removal);
      await writeRepo(s.cache, "org/back", {
        [C1]: { "config.json": qwenConfig, "model.safetensors": "bbb" },
      }, C1);
      await restore(times);
      const [back] = await s.local.list();
      assert.equal(back.weights_bytes, 3, removal);
      assert.equal((await s.local.get("org/back"))?.weights_bytes, 3, removal);
      await Deno.remove(join(s.cache, "models--org--back"), { recursive: true });
      assert.equal(await s.local.get("org/back"), null, removal);
    }
  } finally {
    await s.close();
  }
});

Deno.test("list() reads the active downloads once for all models; get() asks for its model alone", async () => {
  const brief = { task_id: "t1", status: "downloading" as const, progress: 40 };
  let listings = 0;
  const asked: string[] = [];
  const s = await setup(NO_MODEL_USAGE, {
    activeDownloads: () => {
      listings++;
      return new Map([["org/coming", brief]]);
    },
    downloadFor: (id) => {
      asked.push(id);
      return id === "org/coming" ? brief : null;
    },
  });
  try {
    for (const id of ["org/coming", "org/here", "org/there"]) {
      await writeRepo(s.cache, id, { [C1]: { "config.json": qwenConfig, "model.safetensors": "w" } }, C1);
    }
    const list = await s.local.list();
    assert.equal(listings, 1);
    assert.deepEqual(asked, [], "no question per model");
    assert.deepEqual(list.map((m) => [m.model_id, m.download?.progress ?? null, m.complete]), [
      ["org/coming", 40, false],
      ["org/here", null, true],
      ["org/there", null, true],
    ]);
    assert.deepEqual((await s.local.get("org/coming"))?.download, brief);
    assert.deepEqual(asked, ["org/coming"]);
  } finally {
    await s.close();
  }
});
