import assert from "node:assert/strict";
import {
  blobLinkTarget,
  idFromFolderName,
  isInside,
  isModelId,
  isSafeRepoPath,
  repoFolderName,
} from "../../../services/models/cache_layout.ts";

Deno.test("isModelId() accepts org/name and refuses paths and traversal", () => {
  for (const ok of ["mlx-community/Qwen3-8B-4bit", "a/b", "Org_1/model.v2-x"]) assert.ok(isModelId(ok), ok);
  for (
    const bad of [
      "",
      "name",
      "a/b/c",
      "../etc",
      "a/..",
      "/etc/passwd",
      "a//b",
      "a/b/",
      "a--b/c",
      "a/.hidden",
      "a/b.",
    ]
  ) {
    assert.equal(isModelId(bad), false, bad);
  }
});

Deno.test("cache folder names round-trip and odd folders are skipped", () => {
  assert.equal(repoFolderName("mlx-community/Qwen3-8B-4bit"), "models--mlx-community--Qwen3-8B-4bit");
  assert.equal(idFromFolderName("models--mlx-community--Qwen3-8B-4bit"), "mlx-community/Qwen3-8B-4bit");
  assert.equal(idFromFolderName("datasets--a--b"), null);
  assert.equal(idFromFolderName("models--a--b--c"), null);
  assert.equal(idFromFolderName("models--onlyone"), null);
});

Deno.test("blobLinkTarget() climbs one folder per nested path segment, like os.path.relpath", () => {
  assert.equal(blobLinkTarget("config.json", "abc"), "../../blobs/abc");
  assert.equal(blobLinkTarget("vision/config.json", "abc"), "../../../blobs/abc");
  assert.equal(blobLinkTarget("a/b/c.bin", "abc"), "../../../../blobs/abc");
});

Deno.test("isSafeRepoPath() refuses absolute, parent and empty segments", () => {
  assert.ok(isSafeRepoPath("a/b.json"));
  for (const bad of ["", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a\\b"]) {
    assert.equal(isSafeRepoPath(bad), false, bad);
  }
});

Deno.test("isInside() is strict containment", () => {
  assert.ok(isInside("/cache", "/cache/models--a--b"));
  assert.equal(isInside("/cache", "/cache"), false);
  assert.equal(isInside("/cache", "/cache-other/x"), false);
  assert.equal(isInside("/cache", "/etc"), false);
});
