import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { AppError } from "../../../lib/errors.ts";
import { createLogger } from "../../../lib/logger.ts";
import { insertUser } from "../../../db/users.ts";
import { DownloadManager } from "../../../services/downloads/manager.ts";
import { HubClient } from "../../../services/hub/client.ts";
import { dfDiskUsage } from "../../../services/models/disk.ts";
import { downloadSetup, listTree } from "../../helpers/downloads.ts";

const REPO = "mlx-community/Tiny-4bit";
const DIR = `models--mlx-community--Tiny-4bit`;

async function sha256(path: string): Promise<string> {
  return createHash("sha256").update(await Deno.readFile(path)).digest("hex");
}

Deno.test("DownloadManager.request() writes the exact huggingface_hub cache layout", async () => {
  await using s = await downloadSetup([{ id: REPO, weightBytes: 300_000 }]);
  const { view } = await s.manager.request(REPO);
  const done = await s.waitFor(view.task_id, ["completed", "failed"]);
  assert.equal(done.status, "completed", done.error ?? "");
  const repo = join(s.cache, DIR);
  const commit = s.hub.commit(REPO);
  // refs/main holds the bare commit, as Python writes it.
  assert.equal(await Deno.readTextFile(join(repo, "refs", "main")), commit);
  const paths = s.hub.paths(REPO);
  const blobs = new Set<string>();
  for (const path of paths) {
    const facts = s.hub.file(REPO, path);
    const blobId = facts.lfs ? facts.sha256 : facts.oid;
    blobs.add(blobId);
    const link = join(repo, "snapshots", commit, ...path.split("/"));
    assert.ok((await Deno.lstat(link)).isSymlink, `${path} is a link`);
    const depth = path.split("/").length - 1;
    assert.equal(await Deno.readLink(link), `${"../".repeat(2 + depth)}blobs/${blobId}`, path);
    assert.equal(await sha256(link), facts.sha256, `${path} content`);
    assert.ok((await Deno.lstat(join(repo, "blobs", blobId))).isFile);
  }
  // Nothing else: no partial files, no stray folders.
  assert.deepEqual(await listTree(join(repo, "blobs")), [...blobs].sort());
  assert.deepEqual((await Array.fromAsync(Deno.readDir(repo))).map((e) => e.name).sort(), [
    "blobs",
    "refs",
    "snapshots",
  ]);
  const total = paths.reduce((n, p) => n + s.hub.file(REPO, p).size, 0);
  assert.equal(done.total_bytes, total);
  assert.equal(done.downloaded_bytes, total);
  assert.equal(done.progress, 100);
  assert.equal(done.files_done, paths.length);
  // The nested path exists and LFS files came through the CDN.
  assert.ok(paths.includes("vision/encoder/weights.safetensors"));
  assert.ok(s.hub.requests.some((r) => r.server === "cdn"));
});

Deno.test("DownloadManager publishes progress on the bus with bytes, speed, ETA and the current file", async () => {
  await using s = await downloadSetup([{ id: REPO, weightBytes: 600_000 }], {
    knobs: { bytesPerSecond: 1_000_000 },
  });
  const { view } = await s.manager.request(REPO);
  await s.waitFor(view.task_id, ["completed"]);
  const updates = s.events.flatMap((e) => e.type === "download.update" ? [e.data] : []);
  const running = updates.filter((u) => u.status === "downloading");
  assert.ok(running.length >= 3, `got ${running.length} progress events`);
  const bytes = running.map((u) => u.downloaded_bytes);
  assert.deepEqual(bytes, [...bytes].sort((a, b) => a - b), "bytes only grow");
  assert.ok(running.some((u) => u.speed_bps > 0 && u.eta_seconds !== null && u.current_file !== null));
  assert.ok(running.every((u) => u.total_bytes !== null && u.progress < 100));
  assert.equal(updates.at(-1)!.status, "completed");
});

Deno.test("DownloadManager resumes a connection dropped mid-file with Range, and the sha256 matches", async () => {
  await using s = await downloadSetup([{ id: REPO, weightBytes: 1_000_000 }], {
    knobs: { dropAfterBytes: 150_000, drops: 3 },
  });
  const { view } = await s.manager.request(REPO);
  const done = await s.waitFor(view.task_id, ["completed", "failed"]);
  assert.equal(done.status, "completed", done.error ?? "");
  const ranged = s.hub.requests.filter((r) => r.server === "cdn" && r.range);
  assert.ok(ranged.length >= 3, "every drop was resumed with a Range request");
  for (const r of ranged) assert.match(r.range!, /^bytes=\d+-$/);
  assert.ok(ranged.every((r) => Number(r.range!.slice(6, -1)) % 150_000 === 0), "resumed where it was cut");
  const shard = "model-00001-of-00002.safetensors";
  const link = join(s.cache, DIR, "snapshots", s.hub.commit(REPO), shard);
  assert.equal(await sha256(link), s.hub.file(REPO, shard).sha256);
});

Deno.test("DownloadManager.start() after a restart resumes the job from its partial file", async () => {
  await using s = await downloadSetup([{ id: REPO, weightBytes: 2_000_000 }], {
    knobs: { bytesPerSecond: 2_000_000 },
    manager: { fileConcurrency: 1 },
  });
  const { view } = await s.manager.request(REPO);
  await s.waitForBytes(view.task_id, 500_000);
  await s.manager.close();
  assert.equal(s.manager.get(view.task_id)!.status, "downloading", "stays active for the next start");
  const before = s.hub.requests.length;
  delete s.hub.knobs.bytesPerSecond;
  const next = s.restart();
  await next.start();
  const done = await s.waitFor(view.task_id, ["completed", "failed"], 15_000, next);
  assert.equal(done.status, "completed", done.error ?? "");
  const resumed = s.hub.requests.slice(before).filter((r) => r.server === "cdn" && r.range);
  assert.ok(resumed.length >= 1 && Number(resumed[0].range!.slice(6, -1)) > 0, "resumed with Range");
  const link = join(s.cache, DIR, "snapshots", s.hub.commit(REPO), "model-00001-of-00002.safetensors");
  assert.equal(await sha256(link), s.hub.file(REPO, "model-00001-of-00002.safetensors").sha256);
});

Deno.test("DownloadManager.request() makes one job of two simultaneous requests for one repository", async () => {
  await using s = await downloadSetup([{ id: REPO }], { knobs: { latencyMs: 50 } });
  const [a, b] = await Promise.all([s.manager.request(REPO), s.manager.request(REPO)]);
  assert.equal(a.view.task_id, b.view.task_id);
  assert.deepEqual([a.joined, b.joined].sort(), [false, true]);
  assert.equal(s.db.prepare("SELECT count(*) AS n FROM downloads").get()!.n, 1);
  await s.waitFor(a.view.task_id, ["completed"]);
  // Once it is done, a new request is a new job (which finds every blob in place).
  const again = await s.manager.request(REPO);
  assert.notEqual(again.view.task_id, a.view.task_id);
  const cdnBefore = s.hub.requests.filter((r) => r.server === "cdn").length;
  await s.waitFor(again.view.task_id, ["completed"]);
  assert.equal(s.hub.requests.filter((r) => r.server === "cdn").length, cdnBefore, "nothing fetched again");
});

Deno.test("DownloadManager.requester() names the user who asked for a job, and is null for an unknown task", async () => {
  await using s = await downloadSetup([{ id: REPO }]);
  const user = insertUser(s.db, {
    email: "ada@example.com",
    passwordHash: "x",
    isAdmin: false,
    status: "approved",
    now: new Date().toISOString(),
  });
  const asked = await s.manager.request(REPO, user.id);
  assert.deepEqual(s.manager.requester(asked.view.task_id), { userId: user.id });
  await s.waitFor(asked.view.task_id, ["completed"]);
  const anonymous = await s.manager.request(REPO);
  assert.deepEqual(s.manager.requester(anonymous.view.task_id), { userId: null });
  assert.equal(s.manager.requester("no-such-task"), null);
  await s.waitFor(anonymous.view.task_id, ["completed"]);
});

Deno.test("DownloadManager.cancel() stops the job and leaves no partial files", async () => {
  await using s = await downloadSetup([{ id: REPO, weightBytes: 2_000_000 }], {
    knobs: { bytesPerSecond: 1_000_000 },
  });
  const { view } = await s.manager.request(REPO);
  await s.waitForBytes(view.task_id, 200_000);
  assert.ok((await listTree(join(s.cache, DIR, "blobs"))).some((f) => f.endsWith(".incomplete")));
  const cancelled = await s.manager.cancel(view.task_id);
  assert.equal(cancelled.status, "cancelled");
  await assert.rejects(Deno.lstat(join(s.cache, DIR)), Deno.errors.NotFound);
  assert.deepEqual(await listTree(s.cache), []);
  assert.equal(s.manager.list({ active: true }).length, 0);
});

Deno.test("DownloadManager.cancel() keeps what was in the cache before the job", async () => {
  await using s = await downloadSetup([{ id: REPO, weightBytes: 2_000_000 }], {
    knobs: { bytesPerSecond: 1_000_000 },
  });
  const keep = join(s.cache, DIR, "blobs", "keep-me");
  await Deno.mkdir(join(s.cache, DIR, "blobs"), { recursive: true });
  await Deno.writeTextFile(keep, "older data");
  const { view } = await s.manager.request(REPO);
  await s.waitForBytes(view.task_id, 200_000);
  await s.manager.cancel(view.task_id);
  const left = await listTree(join(s.cache, DIR));
  assert.deepEqual(left, ["blobs/keep-me"]);
});

Deno.test("DownloadManager.pause() keeps the partial file and resume() finishes the job", async () => {
  await using s = await downloadSetup([{ id: REPO, weightBytes: 2_000_000 }], {
    knobs: { bytesPerSecond: 1_000_000 },
    manager: { fileConcurrency: 1 },
  });
  const { view } = await s.manager.request(REPO);
  await s.waitForBytes(view.task_id, 300_000);
  const paused = await s.manager.pause(view.task_id);
  assert.equal(paused.status, "paused");
  const parts = (await listTree(join(s.cache, DIR, "blobs"))).filter((f) => f.endsWith(".incomplete"));
  assert.equal(parts.length, 1);
  const size = (await Deno.stat(join(s.cache, DIR, "blobs", parts[0]))).size;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(
    (await Deno.stat(join(s.cache, DIR, "blobs", parts[0]))).size,
    size,
    "nothing written while paused",
  );
  await assert.rejects(
    () => s.manager.pause(view.task_id),
    (e: AppError) => e instanceof AppError && e.code === "conflict",
  );
  delete s.hub.knobs.bytesPerSecond;
  assert.equal(s.manager.resume(view.task_id).status, "pending");
  const done = await s.waitFor(view.task_id, ["completed", "failed"]);
  assert.equal(done.status, "completed", done.error ?? "");
});

Deno.test("DownloadManager.request() refuses a gated repository without a token with the hub's reason", async () => {
  await using s = await downloadSetup([{ id: "org/Gated", gated: "manual" }]);
  await assert.rejects(() => s.manager.request("org/Gated"), (e: AppError) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, "forbidden");
    assert.equal(e.reason, "gated");
    assert.match(e.message, /restricted/);
    assert.match(e.message, /HF_TOKEN/);
    return true;
  });
  assert.equal(s.manager.list().length, 0);
});

Deno.test("DownloadManager fails the job of a gated repository whose token has no access, with the hub's reason", async () => {
  await using s = await downloadSetup([{ id: "org/Gated", gated: "manual", allowedTokens: ["hf_good"] }], {
    token: "hf_other",
  });
  const { view } = await s.manager.request("org/Gated");
  const failed = await s.waitFor(view.task_id, ["failed", "completed"]);
  assert.equal(failed.status, "failed");
  assert.equal(failed.error_code, "gated");
  assert.match(failed.error!, /not in the authorized list/);
});

Deno.test("DownloadManager downloads a gated repository with an allowed token, which never goes to the CDN", async () => {
  await using s = await downloadSetup([{ id: "org/Gated", gated: "manual", allowedTokens: ["hf_good"] }], {
    token: "hf_good",
  });
  const { view } = await s.manager.request("org/Gated");
  assert.equal((await s.waitFor(view.task_id, ["failed", "completed"])).status, "completed");
  const resolves = s.hub.requests.filter((r) => r.path.includes("/resolve/"));
  assert.ok(resolves.length > 0 && resolves.every((r) => r.authorization === "Bearer hf_good"));
  const cdn = s.hub.requests.filter((r) => r.server === "cdn");
  assert.ok(cdn.length > 0 && cdn.every((r) => r.authorization === null));
});

Deno.test("DownloadManager.request() refuses a missing repository with the hub's reason, and a bad id as invalid", async () => {
  await using s = await downloadSetup([]);
  await assert.rejects(() => s.manager.request("org/Nothing"), (e: AppError) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, "not_found");
    assert.match(e.message, /^org\/Nothing was not found on Hugging Face: check the name/);
    return true;
  });
  await assert.rejects(
    () => s.manager.request("../etc"),
    (e: AppError) => e instanceof AppError && e.code === "invalid",
  );
});

Deno.test("DownloadManager fails a job before fetching anything when the disk is too full", async () => {
  await using s = await downloadSetup([{ id: REPO }], {
    manager: { diskUsage: () => Promise.resolve({ total: 1e9, free: 1000, mount: "/tiny" }) },
  });
  const { view } = await s.manager.request(REPO);
  const failed = await s.waitFor(view.task_id, ["failed", "completed"]);
  assert.equal(failed.status, "failed");
  assert.equal(failed.error_code, "disk_full");
  assert.match(failed.error!, /Not enough disk space .* on \/tiny/);
  assert.equal(s.hub.requests.filter((r) => r.path.includes("/resolve/")).length, 0);
});

Deno.test("DownloadManager fails a job whose transfers keep breaking off as network, after its retries", async () => {
  await using s = await downloadSetup([{ id: REPO, weightBytes: 100_000 }], { knobs: { dropAfterBytes: 0 } });
  const { view } = await s.manager.request(REPO);
  const failed = await s.waitFor(view.task_id, ["failed", "completed"]);
  assert.equal(failed.status, "failed");
  assert.equal(failed.error_code, "network");
  assert.match(failed.error!, /failed after 6 attempts/);
});

Deno.test("DownloadManager fails a job whose blob never matches its sha256, and does not keep the blob", async () => {
  await using s = await downloadSetup([{ id: REPO, weightBytes: 100_000 }], { knobs: { corrupt: true } });
  const { view } = await s.manager.request(REPO);
  const failed = await s.waitFor(view.task_id, ["failed", "completed"]);
  assert.equal(failed.status, "failed");
  assert.equal(failed.error_code, "checksum");
  assert.match(failed.error!, /does not match its checksum/);
  const blobs = await listTree(join(s.cache, DIR, "blobs"));
  assert.ok(blobs.every((b) => !/^[0-9a-f]{64}$/.test(b)), "no unverified LFS blob was kept");
  // Dismissing the failed job removes its partial data.
  await s.manager.dismiss(view.task_id);
  await assert.rejects(Deno.lstat(join(s.cache, DIR)), Deno.errors.NotFound);
});

Deno.test("DownloadManager.start() in offline mode leaves left-over jobs waiting untouched instead of failing them", async () => {
  await using s = await downloadSetup([{ id: REPO, weightBytes: 2_000_000 }], {
    knobs: { bytesPerSecond: 1_000_000 },
  });
  const { view } = await s.manager.request(REPO);
  await s.waitForBytes(view.task_id, 100_000);
  await s.manager.close();
  // The offline manager is pointed at a listener of its own, so a request the closed one had already
  // sent (and the fake hub logs late under load) cannot be mistaken for one of the offline manager's.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let contacts = 0;
  const accepting = (async () => {
    for await (const conn of listener) {
      contacts++;
      conn.close();
    }
  })();
  const offline = new DownloadManager({
    db: s.db,
    bus: s.bus,
    hub: new HubClient({ endpoint: `http://127.0.0.1:${listener.addr.port}`, token: null, offline: true }),
    cacheDir: s.cache,
    logger: createLogger("silent"),
    diskUsage: dfDiskUsage,
    hashThread: s.hashThread,
  });
  await offline.start();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(offline.get(view.task_id)!.status, "downloading");
  await assert.rejects(
    () => offline.request("org/other"),
    (e: AppError) => e instanceof AppError && e.code === "unavailable" && e.reason === "offline",
  );
  await offline.close();
  listener.close();
  await accepting.catch(() => {});
  assert.equal(contacts, 0);
});
