/**
 * The OpenAI endpoint's overhead, in one run, against the same fake
 * mlx-openai-server reached directly. The manager runs as `main.ts serve`
 * (its own process, as people run it) with profiles whose fake servers its
 * supervisor starts; this process is the client.
 *
 * - streaming throughput, no token delay: bytes per second from the first to
 *   the last chunk, gateway ÷ direct (median of paired rounds; target ≥ 0.95)
 * - added time to first token: gateway − direct (median; target ≤ 3 ms)
 * - cold start overhead: a request for a stopped profile until its first
 *   token, minus the same server's own start (spawn to listening) plus its
 *   warm first token (median; target ≤ 150 ms)
 * - 200 concurrent streams across 5 profiles, all streaming at once (each
 *   profile takes 40): errors (target 0) and the manager's peak RSS (target
 *   ≤ 200 MB). Only the manager process is measured: this client and the
 *   model servers are other processes. It is measured after the password
 *   worker of the bench's own sign-in has ended.
 *
 * With each measure, the CPU per stream (or per phase) of the manager, the
 * fake server and this client.
 *
 * Run: deno run -A bench/gateway.ts [--rounds=N]
 *
 * @module
 */
import {
  cpuSeconds,
  formatSummary,
  ownCpuSeconds,
  pairedDiff,
  pairedRatio,
  pairedRounds,
  report,
  rssBytes,
  summarize,
} from "./stats.ts";
import { startManager } from "../tests/helpers/manager.ts";
import { FAKE_SERVER_BIN, fakeLaunchArgs } from "../tests/helpers/fake_server.ts";
import { freePort } from "../tests/helpers/net.ts";

const rounds = Number(Deno.args.find((a) => a.startsWith("--rounds="))?.split("=")[1] ?? 5);

interface Sample {
  /** Milliseconds from sending to the first content chunk. */
  ttft: number;
  /** Bytes per second between the first and the last chunk. */
  rate: number;
  bytes: number;
}

/** Sends one streamed chat request and times its chunks as they arrive. */
async function stream(url: string, model: string, headers: Record<string, string> = {}): Promise<Sample> {
  const started = performance.now();
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "bench" }], stream: true }),
  });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let first = 0;
  let last = 0;
  let bytes = 0;
  let seen = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    const now = performance.now();
    bytes += value.byteLength;
    last = now;
    if (!first) {
      seen += decoder.decode(value, { stream: true });
      // The role-only first chunk comes before any work: the first token is the first content.
      if (/"content": "/.test(seen)) first = now;
    }
  }
  if (!seen.includes("data: [DONE]") && !decoder.decode().includes("[DONE]") && bytes === 0) {
    throw new Error("empty stream");
  }
  return { ttft: first - started, rate: bytes / ((last - first) / 1000), bytes };
}

async function call(
  url: string,
  path: string,
  init: RequestInit & { token?: string } = {},
): Promise<unknown> {
  const res = await fetch(`${url}${path}`, {
    ...init,
    headers: {
      "content-type": "application/json",
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function modelFolder(root: string, knobs: Record<string, unknown>): Promise<string> {
  const dir = `${root}/models/${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ model_type: "qwen3" }));
  await Deno.writeTextFile(`${dir}/fake.json`, JSON.stringify(knobs));
  return dir;
}

/** Spawns the fake as the supervisor would and resolves once it says it listens; returns the ms that took. */
async function spawnFake(
  modelPath: string,
  port: number,
): Promise<{ ms: number; stop: () => Promise<void> }> {
  const started = performance.now();
  const child = new Deno.Command(FAKE_SERVER_BIN, {
    args: fakeLaunchArgs(modelPath, port),
    env: { DENO_BIN: Deno.execPath() },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("Uvicorn running on")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`The fake did not start:\n${seen}`);
    seen += value;
  }
  const ms = performance.now() - started;
  void (async () => {
    while (!(await reader.read().catch(() => ({ done: true }))).done) { /* drain */ }
  })();
  return {
    ms,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

/** CPU milliseconds of the manager, the fake server(s) and this client during one measured call. */
interface Cpu {
  manager: number;
  fake: number;
  client: number;
}

/** Runs `fn` and adds the CPU each party used meanwhile. */
async function withCpu<T>(
  managerPid: number,
  fakePids: number[],
  fn: () => Promise<T>,
): Promise<T & { cpu: Cpu }> {
  const fakes = async () =>
    (await Promise.all(fakePids.map((pid) => cpuSeconds(pid)))).reduce((a, b) => a + b, 0);
  const [m, f, c] = [await cpuSeconds(managerPid), await fakes(), ownCpuSeconds()];
  const value = await fn();
  const cpu = {
    client: (ownCpuSeconds() - c) * 1000,
    manager: (await cpuSeconds(managerPid) - m) * 1000,
    fake: (await fakes() - f) * 1000,
  };
  return { ...value, cpu };
}

/** `manager a / b ms, fake …, client …` as medians of the samples' CPU. */
function cpuLine(samples: { cpu: Cpu }[]): string {
  const median = (pick: (c: Cpu) => number) => summarize(samples.map((s) => pick(s.cpu))).median.toFixed(0);
  return `manager ${median((c) => c.manager)} ms, fake ${median((c) => c.fake)} ms, client ${
    median((c) => c.client)
  } ms`;
}

const dataDir = await Deno.makeTempDir({ prefix: "bench-gateway-" });
const manager = await startManager({
  dataDir,
  env: { MLX_MANAGER_MLX_SERVER: FAKE_SERVER_BIN, DENO_BIN: Deno.execPath() },
});
try {
  const account = { email: "bench@example.com", password: "a long bench password" };
  await call(manager.url, "/api/auth/register", { method: "POST", body: JSON.stringify(account) });
  const { access_token: token } = await call(manager.url, "/api/auth/login", {
    method: "POST",
    body: JSON.stringify(account),
  }) as { access_token: string };
  const signedInAt = performance.now();
  const { key } = await call(manager.url, "/api/keys", {
    method: "POST",
    token,
    body: JSON.stringify({ name: "bench" }),
  }) as { key: string };
  const auth = { authorization: `Bearer ${key}` };
  const profile = async (
    name: string,
    knobs: Record<string, unknown>,
    fields: Record<string, unknown> = {},
  ) => {
    const port = freePort();
    const p = await call(manager.url, "/api/profiles", {
      method: "POST",
      token,
      body: JSON.stringify({ name, model_path: await modelFolder(dataDir, knobs), port, ...fields }),
    }) as { id: number; model_path: string };
    return { ...p, name, url: `http://127.0.0.1:${port}` };
  };
  const fakePid = async (id: number): Promise<number> => {
    const status = await call(manager.url, `/api/servers/${id}/status`, { token }) as { pid: number | null };
    if (!status.pid) throw new Error(`Profile ${id} has no server process`);
    return status.pid;
  };
  const mpid = manager.child.pid;

  // 1. Throughput with no token delay: about 64 KB in 16 000 chunks.
  const fast = await profile("fast", { load_delay_ms: 0, token_delay_ms: 0, reply: "abcd".repeat(4000) });
  await stream(manager.url, fast.name, auth); // starts it
  const fastPid = [await fakePid(fast.id)];
  const throughput = await pairedRounds(
    rounds,
    () => withCpu(mpid, fastPid, () => stream(fast.url, fast.name)),
    () => withCpu(mpid, fastPid, () => stream(manager.url, fast.name, auth)),
  );
  report(
    `gateway: streaming throughput ratio (gateway/direct, no token delay): ${
      formatSummary(pairedRatio(throughput.a, throughput.b, (s) => s.rate), "", 3)
    } (target median ≥ 0.95; direct median ${
      (summarize(throughput.a.map((s) => s.rate)).median / 1e6).toFixed(1)
    } MB/s)`,
  );
  report(`  CPU per stream, direct: ${cpuLine(throughput.a)}; through the gateway: ${cpuLine(throughput.b)}`);

  // 2. Added time to first token, paced like a model.
  const paced = await profile("paced", {
    load_delay_ms: 0,
    token_delay_ms: 5,
    reply: "Paris is the capital.",
  });
  await stream(manager.url, paced.name, auth);
  const pacedPid = [await fakePid(paced.id)];
  const ttft = await pairedRounds(
    rounds * 4,
    () => withCpu(mpid, pacedPid, () => stream(paced.url, paced.name)),
    () => withCpu(mpid, pacedPid, () => stream(manager.url, paced.name, auth)),
  );
  report(
    `gateway: added time to first token: ${
      formatSummary(pairedDiff(ttft.a, ttft.b, (s) => s.ttft), "ms")
    } (target median ≤ 3 ms; direct median ${summarize(ttft.a.map((s) => s.ttft)).median.toFixed(2)} ms)`,
  );
  report(`  CPU per stream, direct: ${cpuLine(ttft.a)}; through the gateway: ${cpuLine(ttft.b)}`);

  // 3. Cold start: gateway JIT start to first token, minus the server's own start and warm first token.
  const coldKnobs = { load_delay_ms: 300, token_delay_ms: 5, reply: "cold" };
  const cold = await profile("cold", coldKnobs);
  const directModel = await modelFolder(dataDir, coldKnobs);
  const coldRounds = await pairedRounds(
    rounds,
    async () => {
      const port = freePort();
      const fake = await spawnFake(directModel, port);
      const first = await stream(`http://127.0.0.1:${port}`, "cold");
      await fake.stop();
      return fake.ms + first.ttft;
    },
    async () => {
      await call(manager.url, `/api/servers/${cold.id}/stop`, { method: "POST", token }).catch(() => {});
      for (let i = 0; i < 200; i++) {
        const s = await call(manager.url, `/api/servers/${cold.id}/status`, { token }) as { state: string };
        if (s.state === "stopped") break;
        await new Promise((r) => setTimeout(r, 20));
      }
      return (await stream(manager.url, cold.name, auth)).ttft;
    },
  );
  report(
    `gateway: cold start overhead (JIT request → first token − server start − warm first token): ${
      formatSummary(pairedDiff(coldRounds.a, coldRounds.b, (x) => x), "ms", 1)
    } (target median ≤ 150 ms; direct start + first token median ${
      summarize(coldRounds.a).median.toFixed(0)
    } ms)`,
  );

  // 4. 200 concurrent streams across 5 profiles.
  const many: { id: number; name: string }[] = [];
  for (let i = 0; i < 5; i++) {
    many.push(
      // 40 at once per server: all 200 stream together rather than wait in the queues.
      await profile(`many-${i}`, { load_delay_ms: 0, token_delay_ms: 10, reply: "word ".repeat(40) }, {
        max_concurrency: 40,
      }),
    );
  }
  await Promise.all(many.map((p) => stream(manager.url, p.name, auth)));
  const manyPids = await Promise.all(many.map((p) => fakePid(p.id)));
  // Signing in hashed a password on a worker thread (about 60 MB with argon2's 19 MiB), which
  // ends 30 s after its last hash; API-key clients never start it, so the streams are measured
  // without it.
  const waitMs = 31_000 - (performance.now() - signedInAt);
  if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
  const before = await rssBytes(manager.child.pid);
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rssBytes(manager.child.pid));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const started = performance.now();
  const { results, cpu } = await withCpu(mpid, manyPids, async () => ({
    results: await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => stream(manager.url, many[i % 5].name, auth)),
    ),
  }));
  const elapsed = performance.now() - started;
  sampling = false;
  await sampler;
  const errors = results.filter((r) => r.status === "rejected");
  report(
    `gateway: 200 concurrent streams over 5 profiles: ${errors.length} errors in ${elapsed.toFixed(0)} ms, ` +
      `manager peak RSS ${(peak / 1048576).toFixed(0)} MB, ${
        (before / 1048576).toFixed(0)
      } MB before (targets: 0 errors, ≤ 200 MB)` +
      (errors.length ? `; first error: ${(errors[0] as PromiseRejectedResult).reason}` : ""),
  );
  report(
    `  CPU for the 200 streams: manager ${cpu.manager.toFixed(0)} ms, fakes ${
      cpu.fake.toFixed(0)
    } ms, client ${cpu.client.toFixed(0)} ms`,
  );
} finally {
  manager.child.kill("SIGTERM");
  await manager.child.status;
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
}
