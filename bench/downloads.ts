/**
 * Download manager benchmarks, against the fake hub on loopback:
 *
 * 1. Throughput: the manager (`main.ts serve` as its own process) downloads a
 *    1 GB repository; `curl` fetches the same files from the same hub, as many
 *    at a time as the manager does, in paired alternating rounds. Prints
 *    min/median/max of each side's seconds, the median of the paired
 *    manager/curl rate ratios (target ≥ 0.8), and the CPU per round of the
 *    manager and the fake hub.
 * 2. Memory: the manager's resident set growth while downloading that 1 GB,
 *    sampled every 200 ms. Target: ≤ 64 MB.
 *
 * Run: deno run -A bench/downloads.ts [size in MB, default 1024] [--rounds=5]
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startManager as spawnManager } from "../tests/helpers/manager.ts";
import {
  cpuSeconds,
  formatSummary,
  pairedRatio,
  pairedRounds,
  report,
  rssBytes,
  summarize,
} from "./stats.ts";

const args = parseArgs({ args: Deno.args, allowPositionals: true, options: { rounds: { type: "string" } } });
const MB = 1024 * 1024;
const TOTAL = Number(args.positionals[0] ?? 1024) * MB;
const ROUNDS = Number(args.values.rounds ?? 5);
const SHARDS = 4;
const REPO = "mlx-community/Bench-4bit";
/** The manager fetches this many files at a time (its default). */
const CONCURRENCY = 4;

/** Resident set size in KB. */
async function rssKb(pid: number): Promise<number> {
  return (await rssBytes(pid)) / 1024;
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
    pid: child.pid,
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

/** One round of one side: seconds, and the CPU seconds of the manager and the fake hub meanwhile. */
interface Round {
  seconds: number;
  managerCpu: number;
  hubCpu: number;
  peakKb: number;
}

if (import.meta.main) {
  report(`Generating a ${TOTAL / MB} MB repository for the fake hub…`);
  const hub = await startHub();
  const manager = await startManager(hub.url);
  try {
    // Warm up the code paths a download uses before the memory baseline.
    await (await fetch(`${manager.url}/api/models/search?query=Bench`, { headers: manager.headers })).body
      ?.cancel();
    await new Promise((r) => setTimeout(r, 500));
    const baseKb = await rssKb(manager.pid);
    const measured = async (run: () => Promise<{ seconds: number; peakKb: number }>): Promise<Round> => {
      const [m, h] = [await cpuSeconds(manager.pid), await cpuSeconds(hub.pid)];
      const { seconds, peakKb } = await run();
      return {
        seconds,
        peakKb,
        managerCpu: await cpuSeconds(manager.pid) - m,
        hubCpu: await cpuSeconds(hub.pid) - h,
      };
    };
    const { a: curl, b: mine } = await pairedRounds(
      ROUNDS,
      () => measured(async () => ({ seconds: await curlRun(hub.url, hub.paths, hub.commit), peakKb: 0 })),
      () => measured(() => managerRun(manager)),
    );
    const peakKb = Math.max(baseKb, ...mine.map((r) => r.peakKb));
    const bytes = TOTAL - (TOTAL % SHARDS);
    const secs = (rs: Round[]) => summarize(rs.map((r) => r.seconds));
    report(
      `download throughput: ${
        (bytes / MB).toFixed(0)
      } MB, ${CONCURRENCY} files at a time, ${ROUNDS} paired rounds`,
    );
    report(`  manager:                ${formatSummary(secs(mine), "s")}`);
    report(`  curl:                   ${formatSummary(secs(curl), "s")}`);
    report(
      `  manager/curl rate:      ${
        formatSummary(pairedRatio(mine, curl, (r) => r.seconds), "", 3)
      } (target ≥ 0.8)`,
    );
    report(
      `  manager MB/s:           ${formatSummary(summarize(mine.map((r) => bytes / MB / r.seconds)), "", 0)}`,
    );
    report(`  manager CPU per round:  ${formatSummary(summarize(mine.map((r) => r.managerCpu)), "s")}`);
    report(`  fake hub CPU (manager): ${formatSummary(summarize(mine.map((r) => r.hubCpu)), "s")}`);
    report(`  fake hub CPU (curl):    ${formatSummary(summarize(curl.map((r) => r.hubCpu)), "s")}`);
    report(
      `manager RSS while downloading ${(bytes / MB).toFixed(0)} MB ${ROUNDS} times: ${
        (baseKb / 1024).toFixed(1)
      } MB → peak ${(peakKb / 1024).toFixed(1)} MB; growth ${
        ((peakKb - baseKb) / 1024).toFixed(1)
      } MB (target ≤ 64 MB)`,
    );
  } finally {
    await manager.close();
    await hub.close();
  }
}
