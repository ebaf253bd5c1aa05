/**
 * The supervisor under load, against the fake mlx-openai-server:
 *
 * 1. 20 servers running and 10 dashboards (event-stream clients) connected
 *    for 60 s: manager CPU (% of one core, min/median/max over 5 s windows),
 *    the fake servers' CPU, and resident memory. Targets: CPU ≤ 3 %, RSS ≤ 150 MB.
 * 2. State change → event at the clients, over repeated stops and starts:
 *    p50 and p99. Target: p99 ≤ 250 ms.
 * 3. One health sweep of 50 servers of which 5 never answer: it must end
 *    within one probe timeout + 200 ms.
 *
 * Run: deno run -A bench/servers.ts [--duration=60] [--servers=20] [--dashboards=10] [--interval=10]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { sweepHealth } from "../services/supervisor/health.ts";
import { sampleProcesses } from "../services/platform/processes.ts";
import { DenoCommandRunner } from "../services/platform/runner.ts";
import type { ServerStatus } from "../lib/event_types.ts";
import { freePort } from "../tests/helpers/net.ts";
import { cpuSeconds, formatSummary, percentile, report, rssBytes, summarize } from "./stats.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FAKE = `${ROOT}tests/fixtures/bin/mlx-openai-server`;

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Reads an event stream, calling `onEvent` with each event's type, data and arrival time. */
async function readEvents(
  url: string,
  token: string,
  signal: AbortSignal,
  onEvent: (type: string, data: string, at: number) => void,
): Promise<void> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  // Cancel the read itself on abort: buffered data would otherwise keep the loop reading for seconds.
  const cancel = () => reader.cancel().catch(() => {});
  signal.addEventListener("abort", cancel, { once: true });
  let buffer = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      const at = Date.now();
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = block.match(/^event: (.*)$/m)?.[1] ?? "message";
        const data = block.match(/^data: (.*)$/m)?.[1] ?? "";
        onEvent(type, data, at);
      }
    }
  } catch {
    // aborted at the end of the run
  } finally {
    signal.removeEventListener("abort", cancel);
  }
}

async function loadAndLatency(
  options: { duration: number; servers: number; dashboards: number; interval: number },
) {
  const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-bench-" });
  const port = freePort();
  const manager = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}main.ts`, "serve"],
    env: {
      MLX_MANAGER_DATA_DIR: dataDir,
      MLX_MANAGER_PORT: String(port),
      MLX_MANAGER_MLX_SERVER: FAKE,
      MLX_MANAGER_HEALTH_INTERVAL: String(options.interval),
      MLX_MANAGER_LOG_LEVEL: "warn",
      MLX_MANAGER_OFFLINE: "true",
    },
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  const stop = new AbortController();
  try {
    for (let i = 0; i < 400; i++) {
      const ok = await fetch(`${url}/health`).then((r) => r.body?.cancel().then(() => r.ok), () => false);
      if (ok) break;
      await sleep(50);
    }
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : null;
    };
    const credentials = { email: "bench@example.com", password: "correct horse battery" };
    await call("POST", "/api/auth/register", undefined, credentials);
    const { access_token: token } = await call("POST", "/api/auth/login", undefined, credentials);

    const ids: number[] = [];
    for (let i = 0; i < options.servers; i++) {
      const model = `${dataDir}/models/m${i}`;
      await Deno.mkdir(model, { recursive: true });
      await Deno.writeTextFile(`${model}/config.json`, "{}");
      await Deno.writeTextFile(`${model}/fake.json`, JSON.stringify({ load_delay_ms: 100 }));
      const profile = await call("POST", "/api/profiles", token, {
        name: `bench-${i}`,
        model_path: model,
        port: freePort(),
      });
      ids.push(profile.id);
    }
    const startedAt = performance.now();
    await Promise.all(ids.map((id) => call("POST", `/api/servers/${id}/start?wait=true`, token)));
    const startSeconds = (performance.now() - startedAt) / 1000;

    // Dashboards: each keeps the latest state per server and records state-change latencies.
    const latencies: number[] = [];
    let events = 0;
    const clients = Array.from({ length: options.dashboards }, () => {
      const last = new Map<number, string>();
      return readEvents(`${url}/api/events`, token, stop.signal, (type, data, at) => {
        if (type !== "server.update") return;
        events++;
        const status = JSON.parse(data) as ServerStatus;
        if (last.get(status.profile_id) !== status.state) {
          if (last.has(status.profile_id)) latencies.push(at - Date.parse(status.updated_at));
          last.set(status.profile_id, status.state);
        }
      });
    });
    await sleep(1000);

    const fakePids = (await Promise.all(ids.map((id) => call("GET", `/api/servers/${id}/status`, token))))
      .map((status: { pid: number | null }) => status.pid).filter((pid): pid is number => pid !== null);
    const fakesCpu = async () =>
      (await Promise.all(fakePids.map((pid) => cpuSeconds(pid).catch(() => 0))))
        .reduce((a, b) => a + b, 0);
    const cpu0 = await cpuSeconds(manager.pid);
    const fakes0 = await fakesCpu();
    const t0 = performance.now();
    let rssMax = 0;
    const windows: number[] = [];
    const until = t0 + options.duration * 1000;
    while (performance.now() < until) {
      rssMax = Math.max(rssMax, await rssBytes(manager.pid));
      const [w0, c0] = [performance.now(), await cpuSeconds(manager.pid)];
      await sleep(Math.min(5000, Math.max(0, until - performance.now())));
      const seconds = (performance.now() - w0) / 1000;
      if (seconds > 1) windows.push(((await cpuSeconds(manager.pid)) - c0) / seconds * 100);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = ((await cpuSeconds(manager.pid)) - cpu0) / elapsed * 100;
    const fakeCpu = ((await fakesCpu()) - fakes0) / elapsed * 100;
    const rss = await rssBytes(manager.pid);
    rssMax = Math.max(rssMax, rss);
    const steadyEvents = events;

    // Latency: stop and start servers one after the other; each change reaches every dashboard.
    const cycles = Math.min(ids.length, 10);
    for (let i = 0; i < cycles; i++) {
      await call("POST", `/api/servers/${ids[i]}/stop`, token);
      await call("POST", `/api/servers/${ids[i]}/start?wait=true`, token);
    }
    await sleep(500);

    stop.abort();
    await Promise.all(clients);
    return { cpu, windows, fakeCpu, rss, rssMax, startSeconds, latencies, steadyEvents, cycles };
  } finally {
    stop.abort();
    // A graceful stop stops every model server too.
    manager.kill("SIGTERM");
    await manager.status;
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}

/** Times sweeps (probes plus the `ps` sample, as one tick does) over `total` servers, `silent` of them mute. */
async function healthSweep(total: number, silent: number, timeoutMs: number): Promise<number[]> {
  const servers = Array.from(
    { length: total - silent },
    () =>
      Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => Response.json({ status: "ok" })),
  );
  const mute = Array.from({ length: silent }, () => Deno.listen({ hostname: "127.0.0.1", port: 0 }));
  const held: Deno.Conn[] = [];
  const accepting = mute.map(async (listener) => {
    for await (const conn of listener) held.push(conn);
  });
  const client = Deno.createHttpClient({});
  try {
    const targets = [
      ...servers.map((s, i) => ({ id: i, baseUrl: `http://127.0.0.1:${s.addr.port}` })),
      ...mute.map((l, i) => ({ id: 1000 + i, baseUrl: `http://127.0.0.1:${(l.addr as Deno.NetAddr).port}` })),
    ];
    const times: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const [, results] = await Promise.all([
        sampleProcesses(new DenoCommandRunner()),
        sweepHealth(targets, timeoutMs, client),
      ]);
      times.push(performance.now() - started);
      const failed = [...results.values()].filter((r) => !r.ok).length;
      if (failed !== silent) throw new Error(`Expected ${silent} silent servers, got ${failed}`);
    }
    return times;
  } finally {
    client.close();
    mute.forEach((l) => l.close());
    await Promise.allSettled(accepting);
    held.forEach((c) => c.close());
    await Promise.all(servers.map((s) => s.shutdown()));
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      duration: { type: "string", default: "60" },
      servers: { type: "string", default: "20" },
      dashboards: { type: "string", default: "10" },
      interval: { type: "string", default: "10" },
    },
  });
  const options = {
    duration: Number(values.duration),
    servers: Number(values.servers),
    dashboards: Number(values.dashboards),
    interval: Number(values.interval),
  };
  const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
  const load = await loadAndLatency(options);
  const timeoutMs = 3000;
  const sweeps = await healthSweep(50, 5, timeoutMs);
  report(`supervisor: ${options.servers} fake servers started in ${load.startSeconds.toFixed(1)} s`);
  report(
    `  ${options.servers} servers + ${options.dashboards} dashboards for ${options.duration} s (health every ${options.interval} s): ` +
      `manager CPU ${load.cpu.toFixed(2)} % of one core (target ≤ 3 %), RSS ${mb(load.rss)} (max ${
        mb(load.rssMax)
      }; target ≤ 150 MB), ${load.steadyEvents} server.update events delivered`,
  );
  report(`    manager CPU per 5 s window: ${formatSummary(summarize(load.windows), "%")}`);
  report(`    fake servers' CPU, all ${options.servers} together: ${load.fakeCpu.toFixed(2)} % of one core`);
  report(
    `  state change → event at a dashboard: p50 ${percentile(load.latencies, 50)} ms, p99 ${
      percentile(load.latencies, 99)
    } ms, ${
      formatSummary(summarize(load.latencies), "ms", 0)
    } (${load.cycles} stop/start cycles × ${options.dashboards} dashboards; target p99 ≤ 250 ms)`,
  );
  report(
    `  health sweep of 50 servers, 5 never answering, probe timeout ${timeoutMs} ms: ${
      formatSummary(summarize(sweeps), "ms", 0)
    } (target ≤ ${timeoutMs + 200} ms)`,
  );
}
