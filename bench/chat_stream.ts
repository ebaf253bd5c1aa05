/**
 * Chat streaming overhead: the same answer streamed from the fake
 * mlx-openai-server directly and through the manager's
 * `POST /api/chat/completions`, in paired alternating rounds. The manager
 * runs as `main.ts serve` with a profile whose server (the fake) its
 * supervisor started, and this client is a third process: the path people use.
 *
 * Prints, per scenario, the time to first token of each path and the added
 * time (paired differences), the ratio of streaming rates (characters per
 * second from the request to the last text; paired ratios), and the CPU
 * time per stream of the manager, the fake server and this client.
 * Targets: rate ratio ≥ 0.95 unpaced (also with 10 concurrent streams) and
 * added time to first token ≤ 3 ms paced.
 *
 * The paced case runs twice: with the manager and the fake server woken by a
 * `/health` request just before each stream (both paths alike), and as the
 * rounds leave them, where the manager has been idle for the whole direct
 * stream. The difference is this machine's wake-up latency, printed first
 * (`wake.ts`); on a machine that wakes idle processes in microseconds the two agree.
 *
 * Run: deno run -A bench/chat_stream.ts [--rounds=7]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type BenchManager, benchManager, type BenchProfile, readSse, startFakeProfile } from "./harness.ts";
import {
  cpuSeconds,
  formatSummary,
  ownCpuSeconds,
  pairedDiff,
  pairedRatio,
  pairedRounds,
  report,
  summarize,
} from "./stats.ts";
import { formatWake, wakeLatency } from "./wake.ts";

/** One side of one round: `streams` streams run at once. */
interface Sample {
  /** Median time to first text over the streams, ms. */
  ttft: number;
  /**
   * Characters per second: all streams' text over the time from the first request to the last
   * text. Counted from the request, not the first text, so a path that delivers the answer in
   * fewer, larger events is not credited with a near-infinite rate.
   */
  rate: number;
  chars: number;
  /** CPU ms per stream of the manager, the fake server and this client. */
  managerCpu: number;
  fakeCpu: number;
  clientCpu: number;
}

interface Stream {
  started: number;
  ttft: number;
  first: number;
  last: number;
  chars: number;
}

type TextOf = (payload: string) => string;

const directText: TextOf = (payload) => {
  if (payload === "[DONE]") return "";
  return (JSON.parse(payload) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta
    ?.content ?? "";
};

const proxiedText: TextOf = (payload) => {
  const event = JSON.parse(payload) as { type: string; content?: string };
  return event.type === "response" ? event.content ?? "" : "";
};

async function stream(client: Deno.HttpClient, url: string, init: RequestInit, textOf: TextOf) {
  const started = performance.now();
  const res = await fetch(url, { ...init, client } as RequestInit);
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  const s: Stream = { started, ttft: 0, first: 0, last: 0, chars: 0 };
  await readSse(res, (payload, at) => {
    const text = textOf(payload);
    if (!text) return;
    if (!s.first) s.first = at;
    s.last = at;
    s.chars += text.length;
  });
  s.ttft = s.first - started;
  return s;
}

async function side(
  streams: number,
  manager: BenchManager,
  fake: BenchProfile,
  one: () => Promise<Stream>,
  wake: (() => Promise<void>) | null,
): Promise<Sample> {
  const [m0, f0, c0] = [await cpuSeconds(manager.pid), await cpuSeconds(fake.pid), ownCpuSeconds()];
  await wake?.();
  const all = await Promise.all(Array.from({ length: streams }, one));
  const [m1, f1, c1] = [await cpuSeconds(manager.pid), await cpuSeconds(fake.pid), ownCpuSeconds()];
  const started = Math.min(...all.map((s) => s.started));
  const last = Math.max(...all.map((s) => s.last));
  const chars = all.reduce((n, s) => n + s.chars, 0);
  const perStream = (seconds: number) => (seconds * 1000) / streams;
  return {
    ttft: summarize(all.map((s) => s.ttft)).median,
    rate: chars / ((last - started) / 1000),
    chars,
    managerCpu: perStream(m1 - m0),
    fakeCpu: perStream(f1 - f0),
    clientCpu: perStream(c1 - c0),
  };
}

async function scenario(
  manager: BenchManager,
  name: string,
  knobs: Record<string, string>,
  options: {
    rounds: number;
    streams: number;
    /**
     * Wake the manager and the fake server (one `/health` each, on both paths) just before
     * the streams: on a machine whose idle processes wake slowly (see `wake.ts`), the manager,
     * idle while the direct stream ran, would otherwise pay that wake-up in every proxied round.
     */
    wake?: boolean;
  },
): Promise<void> {
  const fake = await startFakeProfile(manager, name.replaceAll(/\W+/g, "-"), { chunk_chars: "4", ...knobs });
  const messages = [{ role: "user", content: "stream please" }];
  const client = Deno.createHttpClient({});
  const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const health = (url: string) => fetch(url, { client } as RequestInit).then((res) => res.body?.cancel());
  const wake = options.wake
    ? async () =>
      void await Promise.all([health(`${manager.url}/health`), health(`${fake.serverUrl}/health`)])
    : null;
  const directInit = post({ model: fake.modelPath, messages, stream: true });
  const proxiedInit = post({ profile_id: fake.id, messages }, { authorization: `Bearer ${manager.token}` });
  const direct = () =>
    side(
      options.streams,
      manager,
      fake,
      () => stream(client, `${fake.serverUrl}/v1/chat/completions`, directInit, directText),
      wake,
    );
  const proxied = () =>
    side(
      options.streams,
      manager,
      fake,
      () => stream(client, `${manager.url}/api/chat/completions`, proxiedInit, proxiedText),
      wake,
    );
  try {
    await pairedRounds(2, direct, proxied); // warm up both paths and their pooled connections
    const { a: d, b: p } = await pairedRounds(options.rounds, direct, proxied);
    if (p.some((s, i) => s.chars !== d[i].chars)) throw new Error("The two paths streamed different text");
    const pick = <K extends keyof Sample>(xs: Sample[], key: K) => summarize(xs.map((x) => x[key] as number));
    report(
      `chat stream, ${name}: ${options.rounds} paired rounds of ${options.streams} × ${
        d[0].chars / options.streams
      } characters\n` +
        `  time to first token, direct:       ${formatSummary(pick(d, "ttft"), "ms")}\n` +
        `  time to first token, proxied:      ${formatSummary(pick(p, "ttft"), "ms")}\n` +
        `  added time to first token (pairs): ${formatSummary(pairedDiff(d, p, (s) => s.ttft), "ms")}\n` +
        `  rate direct:  ${formatSummary(pick(d, "rate"), "chars/s", 0)}\n` +
        `  rate proxied: ${formatSummary(pick(p, "rate"), "chars/s", 0)}\n` +
        `  rate ratio proxied/direct (pairs): ${formatSummary(pairedRatio(d, p, (s) => s.rate), "", 3)}\n` +
        `  CPU per stream, manager (proxied): ${formatSummary(pick(p, "managerCpu"), "ms", 1)}\n` +
        `  CPU per stream, fake server: direct ${formatSummary(pick(d, "fakeCpu"), "ms", 1)}; proxied ${
          formatSummary(pick(p, "fakeCpu"), "ms", 1)
        }\n` +
        `  CPU per stream, this client: direct ${formatSummary(pick(d, "clientCpu"), "ms", 1)}; proxied ${
          formatSummary(pick(p, "clientCpu"), "ms", 1)
        }`,
    );
  } finally {
    client.close();
    await manager.api("POST", `/api/servers/${fake.id}/stop`).catch(() => {});
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { rounds: { type: "string", default: "7" } } });
  const rounds = Number(values.rounds);
  const reply = "The quick brown fox jumps over the lazy dog. ".repeat(10);
  const manager = await benchManager();
  try {
    report(`this machine's wake-up latency (bench/wake.ts)\n${formatWake(await wakeLatency())}`);
    // About 100 tokens/s, a quick local model: what people see.
    const paced = { token_delay_ms: "10", reply };
    await scenario(manager, "paced at 10 ms per token, every process woken first", paced, {
      rounds: rounds * 2,
      streams: 1,
      wake: true,
    });
    await scenario(manager, "paced at 10 ms per token, the manager idle since its last stream", paced, {
      rounds,
      streams: 1,
    });
    // No pacing: the proxy's own ceiling on this machine (2250 chunks).
    const unpaced = { token_delay_ms: "0", reply: reply.repeat(20) };
    await scenario(manager, "unpaced", unpaced, { rounds, streams: 1 });
    await scenario(manager, "unpaced, 10 concurrent streams", unpaced, { rounds, streams: 10 });
  } finally {
    await manager.stop();
  }
}
