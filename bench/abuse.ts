/**
 * The manager under abuse: memory and CPU while a chunked 200 MB body
 * arrives, and `/health` latency, memory and CPU during a registration flood
 * from one address.
 * `--root=<checkout>` measures another checkout (e.g. an older commit) the
 * same way, for before/after numbers.
 *
 * `deno run -A bench/abuse.ts [--root=/path/to/checkout] [--flood-seconds=10]`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { ROOT } from "../lib/paths.ts";
import { cpuSeconds, formatSummary, percentile, report, rssBytes, summarize } from "./stats.ts";
import { sendChunked } from "../tests/helpers/raw_http.ts";
import { cliEnv } from "../tests/helpers/cli.ts";
import { freePort } from "../tests/helpers/net.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { root: { type: "string" }, "flood-seconds": { type: "string" } },
});
const root = values.root ?? ROOT;
const floodSeconds = Number(values["flood-seconds"] ?? 10);
const MB = 1024 * 1024;

async function start(dataDir: string): Promise<{ child: Deno.ChildProcess; url: string }> {
  // The "listening" line is logged at info, below this run's warn level: wait for /health instead.
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      join(root, "deno.json"),
      join(root, "main.ts"),
      "serve",
      "--port",
      String(port),
    ],
    cwd: root,
    env: cliEnv(dataDir, { MLX_MANAGER_LOG_LEVEL: "warn", MLX_MANAGER_OFFLINE: "true" }),
    clearEnv: true,
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`${url}/health`);
      await res.body?.cancel();
      if (res.ok) return { child, url };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error("The manager did not answer /health within 30 s");
}

/** Samples a process's RSS every 50 ms until stopped; resolves to the peak. */
function peakRss(pid: number): { stop: () => Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await rssBytes(pid));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return peak;
    },
  };
}

async function post(url: string, body: unknown, token?: string): Promise<Response> {
  return await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-bench-abuse-" });
const { child, url } = await start(dataDir);
try {
  const password = "correct horse battery";
  await (await post(`${url}/api/auth/register`, { email: "admin@example.com", password })).body?.cancel();
  const { access_token: token } =
    await (await post(`${url}/api/auth/login`, { email: "admin@example.com", password }))
      .json();

  // 1. A chunked 200 MB body.
  const before = await rssBytes(child.pid);
  const chunkCpu = await cpuSeconds(child.pid);
  const sampler = peakRss(child.pid);
  const chunked = await sendChunked(`${url}/api/conversations`, 200 * MB, {
    headers: { authorization: `Bearer ${token}` },
  });
  const peak = await sampler.stop();
  report(
    `chunked 200 MB body to POST /api/conversations: status ${chunked.status}, ` +
      `${(chunked.sent / MB).toFixed(1)} MB sent before the answer, RSS ${(before / MB).toFixed(0)} → peak ${
        (peak / MB).toFixed(0)
      } MB, manager CPU ${((await cpuSeconds(child.pid) - chunkCpu) * 1000).toFixed(0)} ms`,
  );

  // 2. A registration flood (20 a second from one address) while /health is probed.
  const floodRssBefore = await rssBytes(child.pid);
  const floodPeak = peakRss(child.pid);
  const floodCpu = await cpuSeconds(child.pid);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const t0 = performance.now();
      await (await fetch(`${url}/health`)).body?.cancel();
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const sent: Promise<void>[] = [];
  for (let i = 0; i < floodSeconds * 20; i++) {
    sent.push((async () => {
      const res = await post(`${url}/api/auth/register`, { email: `flood${i}@example.com`, password });
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      await res.body?.cancel();
    })());
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all(sent);
  probing = false;
  await probe;
  const floodMax = await floodPeak.stop();
  const floodCpuMs = (await cpuSeconds(child.pid) - floodCpu) * 1000;
  report(
    `register flood ${floodSeconds * 20} requests in ${floodSeconds} s: statuses ${
      JSON.stringify(statuses)
    }; ` +
      `/health p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${
        percentile(latencies, 95).toFixed(1)
      } ms ` +
      `(${formatSummary(summarize(latencies), " ms", 1)}); RSS ${(floodRssBefore / MB).toFixed(0)} → peak ${
        (floodMax / MB).toFixed(0)
      } MB; manager CPU ${floodCpuMs.toFixed(0)} ms`,
  );
} finally {
  child.kill("SIGKILL");
  await child.status;
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
}
