import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { AppError } from "../../../lib/errors.ts";
import { fetchFile, type FileFetch } from "../../../services/downloads/fetch_file.ts";
import { HashThread } from "../../../services/downloads/hash_thread.ts";

const CONTENT = new Uint8Array(300_000).map((_, i) => (i * 7 + 3) % 251);
const SHA = createHash("sha256").update(CONTENT).digest("hex");
const RETRY = { baseMs: 5, maxMs: 20, attempts: 3 };

/** A tiny file server; `mode` decides how it treats Range. */
function server(mode: "ranges" | "ignore-range" | "error") {
  const ranges: (string | null)[] = [];
  const srv = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const range = req.headers.get("range");
    ranges.push(range);
    if (mode === "error") return new Response("busy", { status: 503 });
    const start = mode === "ranges" && range ? Number(range.match(/bytes=(\d+)-/)![1]) : 0;
    const headers = { "content-length": String(CONTENT.length - start) };
    if (start > 0) {
      return new Response(CONTENT.slice(start), {
        status: 206,
        headers: { ...headers, "content-range": `bytes ${start}-${CONTENT.length - 1}/${CONTENT.length}` },
      });
    }
    return new Response(CONTENT.slice(), { headers });
  });
  return { url: `http://127.0.0.1:${srv.addr.port}/file`, ranges, close: () => srv.shutdown() };
}

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function task(
  url: string,
  dest: string,
  sha256: string | null = SHA,
  gitOid: string | null = null,
): FileFetch {
  return { url, dest, size: CONTENT.length, sha256, gitOid, repo: "org/name", path: "w.safetensors" };
}

// The files here are below the worker's threshold: they hash on this thread and start no worker.
const hashThread = new HashThread();

function run(t: FileFetch, seen: number[] = []) {
  return fetchFile(t, {
    hashThread,
    headers: {},
    signal: new AbortController().signal,
    onProgress: (n) => seen.push(n),
    retry: RETRY,
  });
}

Deno.test("fetchFile() verifies a complete part already on disk without a request", async () => {
  const srv = server("ranges");
  await withDir(async (dir) => {
    const dest = join(dir, "blob.incomplete");
    await Deno.writeFile(dest, CONTENT);
    const seen: number[] = [];
    await run(task(srv.url, dest), seen);
    assert.deepEqual(srv.ranges, []);
    assert.equal(seen.at(-1), CONTENT.length);
  });
  await srv.close();
});

Deno.test("fetchFile() resumes a part with Range and re-hashes what was there", async () => {
  const srv = server("ranges");
  await withDir(async (dir) => {
    const dest = join(dir, "blob.incomplete");
    await Deno.writeFile(dest, CONTENT.slice(0, 100_000));
    await run(task(srv.url, dest));
    assert.deepEqual(srv.ranges, ["bytes=100000-"]);
    assert.deepEqual(await Deno.readFile(dest), CONTENT);
  });
  await srv.close();
});

Deno.test("fetchFile() starts over when a corrupt part makes the digest wrong", async () => {
  const srv = server("ranges");
  await withDir(async (dir) => {
    const dest = join(dir, "blob.incomplete");
    const bad = CONTENT.slice(0, 100_000);
    bad[10] ^= 0xff;
    await Deno.writeFile(dest, bad);
    await run(task(srv.url, dest));
    assert.deepEqual(srv.ranges, ["bytes=100000-", null]);
    assert.deepEqual(await Deno.readFile(dest), CONTENT);
  });
  await srv.close();
});

Deno.test("fetchFile() starts over from zero when the server ignores Range", async () => {
  const srv = server("ignore-range");
  await withDir(async (dir) => {
    const dest = join(dir, "blob.incomplete");
    await Deno.writeFile(dest, CONTENT.slice(0, 50_000));
    await run(task(srv.url, dest));
    assert.deepEqual(srv.ranges, ["bytes=50000-"]);
    assert.deepEqual(await Deno.readFile(dest), CONTENT);
  });
  await srv.close();
});

Deno.test("fetchFile() checks small files against their git blob id", async () => {
  const srv = server("ranges");
  const oid = createHash("sha1").update(`blob ${CONTENT.length}\0`).update(CONTENT).digest("hex");
  await withDir(async (dir) => {
    await run(task(srv.url, join(dir, "good.incomplete"), null, oid));
    await assert.rejects(
      () => run(task(srv.url, join(dir, "bad.incomplete"), null, "0".repeat(40))),
      (e: AppError) =>
        e instanceof AppError && e.reason === "checksum" && /does not match its checksum/.test(e.message),
    );
  });
  await srv.close();
});

Deno.test("fetchFile() gives up after the allowed attempts with the last error", async () => {
  const srv = server("error");
  await withDir(async (dir) => {
    await assert.rejects(
      () => run(task(srv.url, join(dir, "blob.incomplete"))),
      /w\.safetensors of org\/name failed after 3 attempts: the hub answered 503/,
    );
    assert.equal(srv.ranges.length, 3);
  });
  await srv.close();
});

Deno.test("fetchFile() stops at once when its signal aborts", async () => {
  const srv = server("error");
  await withDir(async (dir) => {
    const controller = new AbortController();
    const pending = fetchFile(task(srv.url, join(dir, "blob.incomplete")), {
      hashThread,
      headers: {},
      signal: controller.signal,
      onProgress: () => {},
      retry: { baseMs: 10_000, maxMs: 10_000, attempts: 5 },
    });
    setTimeout(() => controller.abort("pause"), 50);
    await assert.rejects(pending, (reason) => reason === "pause");
  });
  await srv.close();
});
