import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { HashThread, WORKER_THRESHOLD } from "../../../services/downloads/hash_thread.ts";

const SIZE = WORKER_THRESHOLD + 1_000_003;

function content(): Uint8Array {
  const data = new Uint8Array(SIZE);
  for (let at = 0; at < SIZE; at += 65536) {
    crypto.getRandomValues(data.subarray(at, Math.min(SIZE, at + 65536)));
  }
  return data;
}

/** Runs `fn` with random content and a path for it in a fresh folder, removed after. */
async function withBlob<T>(fn: (data: Uint8Array, path: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir();
  try {
    return await fn(content(), join(dir, "blob.incomplete"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function growAndHash(
  thread: HashThread,
): Promise<{ digest: string; expected: string; progress: number[]; ranOnWorker: boolean }> {
  return withBlob(async (data, path) => {
    // Half is on disk before hashing starts (a resumed download), the rest arrives while it runs.
    await Deno.writeFile(path, data.subarray(0, SIZE / 2));
    const progress: number[] = [];
    const hashing = thread.start(path, { sha256: "x", size: SIZE }, (n) => progress.push(n));
    const ranOnWorker = thread.running;
    const file = await Deno.open(path, { append: true });
    for (let at = Math.floor(SIZE / 2); at < SIZE; at += 1 << 20) {
      await file.write(data.subarray(at, Math.min(SIZE, at + (1 << 20))));
      await new Promise((r) => setTimeout(r, 1));
    }
    file.close();
    const digest = await hashing.finish(SIZE);
    await hashing.stop();
    assert.equal(thread.running, false, "the worker ends when it has nothing to hash");
    return { digest, expected: createHash("sha256").update(data).digest("hex"), progress, ranOnWorker };
  });
}

Deno.test("HashThread hashes a large growing file on its worker", async () => {
  const thread = new HashThread();
  const { digest, expected, progress, ranOnWorker } = await growAndHash(thread);
  assert.ok(ranOnWorker);
  assert.ok(thread.available);
  assert.equal(digest, expected);
  assert.equal(progress.at(-1), SIZE);
  assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
});

Deno.test("HashThread falls back to this thread when its worker cannot start", async () => {
  const broken = new HashThread(new URL('data:text/javascript,throw new Error("no hashing here")'));
  const { digest, expected } = await growAndHash(broken);
  assert.equal(digest, expected);
  assert.equal(broken.available, false);
  // Later files go straight to this thread.
  await broken.start("/dev/null", { sha256: null, size: WORKER_THRESHOLD }, () => {}).stop();
  assert.equal(broken.running, false);
});

Deno.test("HashThread.close() ends its worker and finishes a running hash on this thread", async () => {
  await withBlob(async (data, path) => {
    await Deno.writeFile(path, data);
    const thread = new HashThread();
    const hashing = thread.start(path, { sha256: "x", size: SIZE }, () => {});
    assert.equal(thread.running, true);
    thread.close();
    assert.equal(thread.running, false);
    assert.equal(await hashing.finish(SIZE), createHash("sha256").update(data).digest("hex"));
    await hashing.stop();
    // Later files hash here too: no worker starts again.
    const later = thread.start(path, { sha256: "x", size: SIZE }, () => {});
    assert.equal(thread.running, false);
    await later.stop();
  });
});
