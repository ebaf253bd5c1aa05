/**
 * Download manager benchmarks, against the fake hub on loopback:
 *
 * 1. Throughput: the manager (`main.ts serve` as its own process) downloads a
 *    1 GB repository; `curl` fetches the same files from the same hub in the
 *    same run, as many at a time as the manager does. Target: ratio ≥ 0.8.
 * 2. Memory: the manager's resident set growth while downloading that 1 GB,
 *    sampled every 200 ms. Target: ≤ 64 MB.
 *
 * Run: deno run -A bench/downloads.ts [size in MB, default 1024]
 *
 * @module
 */
import { join } from "node:path";
import { startManager as spawnManager } from "../tests/helpers/manager.ts";

const MB = 1024 * 1024;
const TOTAL = Number(Deno.args[0] ?? 1024) * MB;
const SHARDS = 4;
const REPO = "mlx-community/Bench-4bit";
/** The manager fetches this many files at a time (its default). */
const CONCURRENCY = 4;

// deno-lint-ignore no-console
const log = (line: string) => console.log(line);

/** Resident set size in KB: from /proc on Linux, else from `ps` (macOS). */
async function rssKb(pid: number): Promise<number> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
  } catch {
    const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)], stdout: "piped" })
      .output();
    return Number(new TextDecoder().decode(out.stdout).trim()) || 0;
  }
}

/** Starts the fake hub in its own process. */
async function startHub() {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("fake_hub_server.ts", import.meta.url).pathname,
      REPO,
      String(TOTAL / MB),
      String(SHARDS),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("The fake hub did not start");
    text += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  const info = JSON.parse(text) as { url: string; commit: string; paths: string[] };
  return {
    ...info,
    async close() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

function serve(dataDir: string, hubUrl: string) {
  return spawnManager({ dataDir, env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hubUrl } });
}

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return await res.json();
}

/** A running manager with a signed-in account. */
async function startManager(hubUrl: string) {
  const dataDir = await Deno.makeTempDir({ prefix: "bench-manager-" });
  const { child, url } = await serve(dataDir, hubUrl);
  const account = { email: "bench@example.com", password: "benchmark password" };
  await post(`${url}/api/auth/register`, account);
  const { access_token: token } = await post<{ access_token: string }>(`${url}/api/auth/login`, account);
  const headers = { authorization: `Bearer ${token}` };
  return {
    pid: child.pid,
    url,
    token,
    headers,
    async close() {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/**
 * Downloads the repository through the manager once (then deletes it);
 * returns seconds from the request to completion and the peak RSS in KB.
 */
async function managerRun(
  m: Awaited<ReturnType<typeof startManager>>,
): Promise<{ seconds: number; peakKb: number }> {
  let peakKb = await rssKb(m.pid);
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakKb = Math.max(peakKb, await rssKb(m.pid));
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const started = performance.now();
  const { task_id } = await post<{ task_id: string }>(
    `${m.url}/api/models/download`,
    { model_id: REPO },
    m.token,
  );
  // The progress stream reports completion the moment it happens, without polling the manager.
  const stream = await fetch(`${m.url}/api/models/download/${task_id}/progress`, { headers: m.headers });
  const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
  let seconds = 0;
  let text = "";
  while (!seconds) {
    const { value, done } = await reader.read();
    if (done) throw new Error("The progress stream ended early");
    text += value;
    const lines = text.split("\n");
    text = lines.pop()!;
    for (const line of lines.filter((l) => l.startsWith("data: "))) {
      const view = JSON.parse(line.slice(6));
      if (view.status === "failed") throw new Error(`The download failed: ${view.error}`);
      if (view.status === "completed") seconds = (performance.now() - started) / 1000;
    }
  }
  await reader.cancel();
  sampling = false;
  await sampler;
  await (await fetch(`${m.url}/api/models/${REPO}`, { method: "DELETE", headers: m.headers })).body?.cancel();
  await (await fetch(`${m.url}/api/models/download/${task_id}/dismiss`, {
    method: "POST",
    headers: m.headers,
  }))
    .body?.cancel();
  return { seconds, peakKb };
}

/** Fetches every file of the repository with curl, `CONCURRENCY` at a time; returns seconds. */
async function curlRun(hubUrl: string, paths: string[], commit: string): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "bench-curl-" });
  try {
    const args = ["-sS", "-L", "--fail", "--parallel", "--parallel-max", String(CONCURRENCY)];
    paths.forEach((p, i) =>
      args.push("-o", join(dir, String(i)), `${hubUrl}/${REPO}/resolve/${commit}/${p}`)
    );
    const started = performance.now();
    const out = await new Deno.Command("curl", { args, stderr: "piped" }).output();
    if (!out.success) throw new Error(`curl failed: ${new TextDecoder().decode(out.stderr)}`);
    return (performance.now() - started) / 1000;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Rounds of each contender, alternated; the best round of each is compared,
 * because on a shared machine other work only ever slows a round down.
 */
const ROUNDS = 5;

if (import.meta.main) {
  log(`Generating a ${TOTAL / MB} MB repository for the fake hub…`);
  const hub = await startHub();
  const manager = await startManager(hub.url);
  try {
    // Warm up the code paths a download uses before the memory baseline.
    await (await fetch(`${manager.url}/api/models/search?query=Bench`, { headers: manager.headers })).body
      ?.cancel();
    await new Promise((r) => setTimeout(r, 500));
    const baseKb = await rssKb(manager.pid);
    const curlTimes: number[] = [];
    const managerTimes: number[] = [];
    let peakKb = baseKb;
    for (let round = 0; round < ROUNDS; round++) {
      curlTimes.push(await curlRun(hub.url, hub.paths, hub.commit));
      const run = await managerRun(manager);
      managerTimes.push(run.seconds);
      peakKb = Math.max(peakKb, run.peakKb);
    }
    const bytes = TOTAL - (TOTAL % SHARDS);
    const [curl, mine] = [Math.min(...curlTimes), Math.min(...managerTimes)];
    const rate = (s: number) => `${(bytes / MB / s).toFixed(0)} MB/s`;
    const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(", ");
    log(
      `download throughput (${
        (bytes / MB).toFixed(0)
      } MB, ${CONCURRENCY} files at a time, best of ${ROUNDS}): ` +
        `manager ${mine.toFixed(2)} s (${rate(mine)}; runs ${list(managerTimes)}), ` +
        `curl ${curl.toFixed(2)} s (${rate(curl)}; runs ${list(curlTimes)}); ratio ${
          (curl / mine).toFixed(2)
        } (target ≥ 0.8)`,
    );
    log(
      `manager RSS while downloading ${(bytes / MB).toFixed(0)} MB ${ROUNDS} times: ${
        (baseKb / 1024).toFixed(1)
      } MB → ` +
        `peak ${(peakKb / 1024).toFixed(1)} MB; growth ${
          ((peakKb - baseKb) / 1024).toFixed(1)
        } MB (target ≤ 64 MB)`,
    );
  } finally {
    await manager.close();
    await hub.close();
  }
}
