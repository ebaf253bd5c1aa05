/**
 * Concurrency that uses batching, on the fake mlx-openai-server playing
 * 1.8.1 (it decodes up to `--decode-concurrency` sequences together, and one
 * at a time with `--disable-batching`). The manager runs as `main.ts serve`;
 * this process is the client of its `/v1` endpoint.
 *
 * - 8 simultaneous streams to a profile with `max_concurrency` 8: the time
 *   until all 8 ended ÷ the time of one stream (median of paired rounds;
 *   target ≤ 1.5)
 * - the same with `max_concurrency` 1: they are served one after another
 *   (the most streams seen streaming at once: target 1; the ratio near 8)
 * - the gateway's added time to the first token, both ways of serving:
 *   gateway − direct to the same server, paced like a model (5 ms between
 *   chunks, as bench/gateway.ts measures it; median of paired rounds; target ≤ 3 ms)
 *
 * Run: deno run -A bench/batching.ts [--rounds=N] [--version=1.5.1]
 *
 * @module
 */
import { formatSummary, pairedDiff, pairedRatio, pairedRounds, report, summarize } from "./stats.ts";
import { startManager } from "../tests/helpers/manager.ts";
import { freePort } from "../tests/helpers/net.ts";
import { fakeServerOf, type ServerVersion } from "../tests/helpers/versions.ts";

const rounds = Number(Deno.args.find((a) => a.startsWith("--rounds="))?.split("=")[1] ?? 5);
const STREAMS = 8;
/** The version the fake plays (`--version=1.5.1` compares the gateway's overhead on the old server). */
const version =
  (Deno.args.find((a) => a.startsWith("--version="))?.split("=")[1] ?? "1.8.1") as ServerVersion;

/** One stream: when it was sent, its first content chunk and its end (`performance.now()`). */
interface Timing {
  sent: number;
  first: number;
  end: number;
}

async function stream(url: string, model: string, headers: Record<string, string>): Promise<Timing> {
  const sent = performance.now();
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "bench" }], stream: true }),
  });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let first = 0;
  let seen = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!first) {
      seen += decoder.decode(value, { stream: true });
      // The role-only first chunk comes before any work: the first token is the first content.
      if (/"content": "/.test(seen)) first = performance.now();
    }
  }
  return { sent, first, end: performance.now() };
}

/** The most streams that were between their first token and their end at one moment. */
function mostAtOnce(timings: Timing[]): number {
  const edges = timings.flatMap((t) => [[t.first, 1], [t.end, -1]] as const).sort((a, b) =>
    a[0] - b[0] || a[1] - b[1]
  );
  let now = 0;
  let most = 0;
  for (const [, step] of edges) most = Math.max(most, now += step);
  return most;
}

async function call(url: string, path: string, token: string | null, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

const dataDir = await Deno.makeTempDir({ prefix: "bench-batching-" });
const manager = await startManager({
  dataDir,
  env: { MLX_MANAGER_MLX_SERVER: fakeServerOf(version), DENO_BIN: Deno.execPath() },
});
try {
  const account = { email: "bench@example.com", password: "a long bench password" };
  await call(manager.url, "/api/auth/register", null, account);
  const { access_token: token } = await call(manager.url, "/api/auth/login", null, account) as {
    access_token: string;
  };
  const { key } = await call(manager.url, "/api/keys", token, { name: "bench" }) as { key: string };
  const auth = { authorization: `Bearer ${key}` };
  // 40 chunks 20 ms apart: a stream of about 0.8 s, long beside the manager's own work.
  const knobs = { load_delay_ms: 0, token_delay_ms: 20, chunk_chars: 4, reply: "word ".repeat(32) };
  // The first-token measure is paced like a model, as bench/gateway.ts measures it.
  const quick = { ...knobs, token_delay_ms: 5, reply: "Paris is the capital." };
  const profile = async (name: string, maxConcurrency: number, fake = knobs) => {
    const modelPath = `${dataDir}/models/${name}`;
    await Deno.mkdir(modelPath, { recursive: true });
    await Deno.writeTextFile(`${modelPath}/config.json`, JSON.stringify({ model_type: "qwen3" }));
    await Deno.writeTextFile(`${modelPath}/fake.json`, JSON.stringify(fake));
    const p = await call(manager.url, "/api/profiles", token, {
      name,
      model_path: modelPath,
      port: freePort(),
      max_concurrency: maxConcurrency,
    }) as { id: number };
    await call(manager.url, `/api/servers/${p.id}/start?wait=true`, token, {});
    const status = await call(manager.url, `/api/servers/${p.id}/status`, token) as {
      port: number;
      served_model: string;
    };
    return { name, direct: `http://127.0.0.1:${status.port}`, served: status.served_model ?? name };
  };
  const wide = await profile("batched", STREAMS);
  const narrow = await profile("serial", 1);
  const quickProfiles = new Map([
    [wide, await profile("batched-quick", STREAMS, quick)],
    [narrow, await profile("serial-quick", 1, quick)],
  ]);
  report(`mlx-openai-server ${version} (fake), ${rounds} paired rounds, ${STREAMS} streams of ~0.8 s`);

  for (const p of [wide, narrow]) {
    // Warm both paths (connections, the first request's own costs).
    await stream(manager.url, p.name, auth);
    await stream(p.direct, p.served, {});
    const one = () => stream(manager.url, p.name, auth).then((t) => t.end - t.sent);
    const many = async () => {
      const timings = await Promise.all(
        Array.from({ length: STREAMS }, () => stream(manager.url, p.name, auth)),
      );
      return {
        ms: Math.max(...timings.map((t) => t.end)) - Math.min(...timings.map((t) => t.sent)),
        timings,
      };
    };
    const singles: number[] = [];
    const groups: { ms: number; timings: Timing[] }[] = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        singles.push(await one());
        groups.push(await many());
      } else {
        groups.push(await many());
        singles.push(await one());
      }
    }
    const ratio = summarize(groups.map((g, i) => g.ms / singles[i]));
    const atOnce = summarize(groups.map((g) => mostAtOnce(g.timings)));
    report(`${p.name} (max_concurrency ${p === wide ? STREAMS : 1}):`);
    report(`  one stream: ${formatSummary(summarize(singles), "ms", 0)}`);
    report(`  ${STREAMS} at once, all done: ${formatSummary(summarize(groups.map((g) => g.ms)), "ms", 0)}`);
    report(`  ${STREAMS} at once ÷ one: ${formatSummary(ratio, "×")}`);
    report(`  streams streaming at once: ${formatSummary(atOnce, "", 0)}`);

    const q = quickProfiles.get(p)!;
    await stream(manager.url, q.name, auth);
    await stream(q.direct, q.served, {});
    const ttft = await pairedRounds(
      rounds * 6,
      () => stream(q.direct, q.served, {}),
      () => stream(manager.url, q.name, auth),
    );
    const first = (t: Timing) => t.first - t.sent;
    report(`  first token, direct: ${formatSummary(summarize(ttft.a.map(first)), "ms")}`);
    report(`  first token, gateway: ${formatSummary(summarize(ttft.b.map(first)), "ms")}`);
    report(`  gateway adds to the first token: ${formatSummary(pairedDiff(ttft.a, ttft.b, first), "ms")}`);
    report(
      `  gateway ÷ direct, whole stream: ${
        formatSummary(pairedRatio(ttft.a, ttft.b, (t) => t.end - t.sent), "×")
      }`,
    );
  }
} finally {
  try {
    manager.child.kill("SIGTERM");
  } catch { /* already gone */ }
  await manager.child.status;
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
}
