import assert from "node:assert/strict";
import { openDb } from "../../db/mod.ts";
import {
  findActiveDownload,
  insertDownload,
  listDownloadFiles,
  markFileDone,
  setDownloadFiles,
  updateDownload,
} from "../../db/downloads.ts";
import { findModelConfig, lastUses, recordModelUse, saveModelConfig } from "../../db/model_configs.ts";

Deno.test("downloads allow one active job per repository, and a new one once it is finished", () => {
  const db = openDb(":memory:");
  const first = insertDownload(db, { taskId: "a", modelId: "org/name", repoExisted: false });
  assert.equal(first.status, "pending");
  assert.throws(() => insertDownload(db, { taskId: "b", modelId: "org/name", repoExisted: false }), /UNIQUE/);
  updateDownload(db, first.id, { status: "paused" });
  assert.throws(() => insertDownload(db, { taskId: "b", modelId: "org/name", repoExisted: false }), /UNIQUE/);
  updateDownload(db, first.id, { status: "completed", completedAt: new Date().toISOString() });
  assert.equal(findActiveDownload(db, "org/name"), null);
  const second = insertDownload(db, { taskId: "b", modelId: "org/name", repoExisted: true });
  assert.equal(findActiveDownload(db, "org/name")?.id, second.id);
  assert.equal(second.repoExisted, true);
  db.close();
});

Deno.test("download files keep their digests and done flags, and go with their job", () => {
  const db = openDb(":memory:");
  const job = insertDownload(db, { taskId: "a", modelId: "org/name", repoExisted: false });
  setDownloadFiles(db, job.id, [
    {
      path: "a/b.safetensors",
      blobId: "f".repeat(64),
      size: 10,
      sha256: "f".repeat(64),
      gitOid: null,
      done: false,
      fetched: false,
    },
    {
      path: "config.json",
      blobId: "e".repeat(40),
      size: 2,
      sha256: null,
      gitOid: "e".repeat(40),
      done: false,
      fetched: false,
    },
  ]);
  markFileDone(db, job.id, "config.json", true);
  const files = listDownloadFiles(db, job.id);
  assert.deepEqual(files.map((f) => [f.path, f.done, f.fetched]), [["a/b.safetensors", false, false], [
    "config.json",
    true,
    true,
  ]]);
  db.prepare("DELETE FROM downloads WHERE id = ?").run(job.id);
  assert.deepEqual(listDownloadFiles(db, job.id), []);
  db.close();
});

Deno.test("model configs and last uses are cached per model", () => {
  const db = openDb(":memory:");
  saveModelConfig(db, {
    modelId: "org/name",
    revision: "abc",
    config: { model_type: "qwen3" },
    tags: ["mlx"],
  });
  saveModelConfig(db, { modelId: "org/name", revision: "def", config: null, tags: [] });
  assert.deepEqual(findModelConfig(db, "org/name")?.revision, "def");
  assert.equal(findModelConfig(db, "org/name")?.config, null);
  recordModelUse(db, "org/name", "2026-01-02T00:00:00.000Z");
  recordModelUse(db, "org/name", "2026-01-01T00:00:00.000Z");
  assert.equal(
    lastUses(db).get("org/name"),
    "2026-01-02T00:00:00.000Z",
    "an older use never overwrites a newer one",
  );
  db.close();
});
