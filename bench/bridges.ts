/**
 * What the protocol bridges cost: the same answer streamed through the
 * gateway's `POST /v1/chat/completions` and through `POST /v1/messages`
 * (Anthropic) and `POST /v1/responses` (OpenAI Responses), which translate
 * that very chat stream event by event, in paired alternating rounds. The
 * manager runs as `main.ts serve` with a profile whose server (the fake) its
 * supervisor started; this client is a third process.
 *
 * Prints, per bridge and scenario, the time to first text of both paths and
 * the added time (paired differences), the ratio of streaming rates
 * (characters of text per second from the request to the last text; paired
 * ratios), and the manager's CPU time per stream. Targets: rate ratio ≥ 0.95
 * unpaced, added time to first token ≤ 3 ms paced.
 *
 * Run: deno run -A bench/bridges.ts [--rounds=7]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type BenchManager, benchManager, type BenchProfile, readSse, startFakeProfile } from "./harness.ts";
import {
  cpuSeconds,
  formatSummary,
  pairedDiff,
  pairedRatio,
  pairedRounds,
  report,
  summarize,
} from "./stats.ts";

interface Sample {
  /** Time to the first text, ms. */
  ttft: number;
  /** Characters per second from the request to the last text. */
  rate: number;
  chars: number;
  /** The manager's CPU ms for the stream. */
  managerCpu: number;
}

/** A path: where to post, the body for a model, and the text of one SSE payload. */
interface Path {
  name: string;
  path: string;
  body(model: string): unknown;
  text(payload: string): string;
}

const messages = [{ role: "user", content: "stream please" }];

const CHAT: Path = {
  name: "/v1/chat/completions",
  path: "/v1/chat/completions",
  body: (model) => ({ model, messages, stream: true }),
  text(payload) {
    if (payload === "[DONE]") return "";
    return (JSON.parse(payload) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta
      ?.content ??
      "";
  },
};

const BRIDGES: Path[] = [
  {
    name: "/v1/messages",
    path: "/v1/messages",
    body: (model) => ({ model, max_tokens: 100_000, messages, stream: true }),
    text(payload) {
      const event = JSON.parse(payload) as { type: string; delta?: { type: string; text?: string } };
      return event.type === "content_block_delta" && event.delta?.type === "text_delta"
        ? event.delta.text ?? ""
        : "";
    },
  },
  {
    name: "/v1/responses",
    path: "/v1/responses",
    body: (model) => ({ model, input: messages, stream: true, store: false }),
    text(payload) {
      const event = JSON.parse(payload) as { type: string; delta?: string };
      return event.type === "response.output_text.delta" ? event.delta ?? "" : "";
    },
  },
];

async function stream(
  client: Deno.HttpClient,
  manager: BenchManager,
  key: string,
  model: string,
  path: Path,
): Promise<Sample> {
  const cpu0 = await cpuSeconds(manager.pid);
  const started = performance.now();
  const res = await fetch(`${manager.url}${path.path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(path.body(model)),
    client,
  } as RequestInit);
  if (!res.ok) throw new Error(`${path.name} answered ${res.status}: ${await res.text()}`);
  let first = 0;
  let last = 0;
  let chars = 0;
  await readSse(res, (payload, at) => {
    const text = path.text(payload);
    if (!text) return;
    if (!first) first = at;
    last = at;
    chars += text.length;
  });
  const cpu1 = await cpuSeconds(manager.pid);
  return {
    ttft: first - started,
    rate: chars / ((last - started) / 1000),
    chars,
    managerCpu: (cpu1 - cpu0) * 1000,
  };
}

async function scenario(
  manager: BenchManager,
  key: string,
  name: string,
  knobs: Record<string, string>,
  rounds: number,
): Promise<void> {
  const fake: BenchProfile = await startFakeProfile(manager, name.replaceAll(/\W+/g, "-"), {
    chunk_chars: "4",
    ...knobs,
  });
  const model = name.replaceAll(/\W+/g, "-");
  const client = Deno.createHttpClient({});
  try {
    for (const bridge of BRIDGES) {
      const chat = () => stream(client, manager, key, model, CHAT);
      const bridged = () => stream(client, manager, key, model, bridge);
      await pairedRounds(2, chat, bridged); // warm up both paths and their pooled connections
      const { a: c, b: p } = await pairedRounds(rounds, chat, bridged);
      if (p.some((s, i) => s.chars !== c[i].chars)) throw new Error(`${bridge.name} streamed other text`);
      const pick = (xs: Sample[], k: keyof Sample) => summarize(xs.map((x) => x[k]));
      report(
        `bridge ${bridge.name}, ${name}: ${rounds} paired rounds of ${c[0].chars} characters\n` +
          `  time to first token, chat:         ${formatSummary(pick(c, "ttft"), "ms")}\n` +
          `  time to first token, bridged:      ${formatSummary(pick(p, "ttft"), "ms")}\n` +
          `  added time to first token (pairs): ${formatSummary(pairedDiff(c, p, (s) => s.ttft), "ms")}\n` +
          `  rate chat:    ${formatSummary(pick(c, "rate"), "chars/s", 0)}\n` +
          `  rate bridged: ${formatSummary(pick(p, "rate"), "chars/s", 0)}\n` +
          `  rate ratio bridged/chat (pairs): ${formatSummary(pairedRatio(c, p, (s) => s.rate), "", 3)}\n` +
          `  CPU per stream, manager: chat ${formatSummary(pick(c, "managerCpu"), "ms", 1)}; bridged ${
            formatSummary(pick(p, "managerCpu"), "ms", 1)
          }`,
      );
    }
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
    const { key } = await manager.api("POST", "/api/keys", { name: "bench" }) as { key: string };
    // About 100 tokens/s, a quick local model: the first token is what people wait for.
    await scenario(manager, key, "paced at 10 ms per token", { token_delay_ms: "10", reply }, rounds * 2);
    // No pacing: the bridges' own ceiling on this machine (2250 chunks).
    await scenario(manager, key, "unpaced", { token_delay_ms: "0", reply: reply.repeat(20) }, rounds);
  } finally {
    await manager.stop();
  }
}
