/**
 * Chat streaming overhead: the same answer streamed from the fake
 * mlx-openai-server directly and through the manager's
 * `POST /api/chat/completions`, alternating, in one run.
 *
 * Prints, per scenario, the median time to first token of each path, the
 * median added time to first token (paired), and the ratio of streaming
 * rates (characters per second between the first and last text).
 * Targets: rate ratio ≥ 0.95 and added time to first token ≤ 5 ms (median)
 * for the paced scenario; the unpaced one shows the proxy's ceiling.
 *
 * Run: deno run -A bench/chat_stream.ts
 *
 * @module
 */
import { createRuntime } from "../app.ts";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/logger.ts";
import { SseDataDecoder } from "../lib/chat/sse_decoder.ts";
import { StaticTargets } from "../services/chat/targets.ts";
import { startFakeServer } from "../tests/helpers/fake_server.ts";

interface Sample {
  ttft: number;
  rate: number;
  chars: number;
}

/** Reads an SSE response, timing the first and last text it carries. */
async function measure(
  started: number,
  response: Response,
  textOf: (payload: unknown) => string,
): Promise<Sample> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const decoder = new SseDataDecoder();
  let first = 0;
  let last = 0;
  let chars = 0;
  while (true) {
    const { value, done } = await reader.read();
    for (const payload of done ? decoder.end() : decoder.push(value)) {
      if (payload === "[DONE]") continue;
      const text = textOf(JSON.parse(payload));
      if (!text) continue;
      const now = performance.now();
      if (!first) first = now;
      last = now;
      chars += text.length;
    }
    if (done) break;
  }
  return { ttft: first - started, rate: chars / ((last - first) / 1000), chars };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function scenario(name: string, knobs: Record<string, string>, runs: number): Promise<void> {
  const fake = await startFakeServer({ FAKE_MLX_CHUNK_CHARS: "4", ...knobs });
  const dataDir = await Deno.makeTempDir();
  const config = loadConfig({
    HOME: dataDir,
    MLX_MANAGER_DATA_DIR: dataDir,
    MLX_MANAGER_DATABASE_PATH: ":memory:",
    MLX_MANAGER_KV_PATH: ":memory:",
    MLX_MANAGER_LOG_LEVEL: "silent",
  });
  const rt = await createRuntime(config, {
    logger: createLogger("silent"),
    chatTargets: new StaticTargets([{
      profileId: 1,
      name: "fake",
      modelId: fake.modelPath,
      modelType: "lm",
      systemPrompt: null,
      state: "running",
      baseUrl: fake.url,
    }]),
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, rt.app.fetch);
  const email = "bench@example.com";
  await rt.deps.accounts.register({ email, password: "a long bench password" });
  const { token } = await rt.deps.accounts.login({
    email,
    password: "a long bench password",
    client: "bench",
  });
  const messages = [{ role: "user", content: "stream please" }];
  const client = Deno.createHttpClient({});

  const direct = async (): Promise<Sample> => {
    const started = performance.now();
    const init: RequestInit & { client: Deno.HttpClient } = {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: fake.modelPath, messages, stream: true }),
      client,
    };
    const res = await fetch(`${fake.url}/v1/chat/completions`, init);
    return measure(
      started,
      res,
      (c) => (c as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? "",
    );
  };
  const proxied = async (): Promise<Sample> => {
    const started = performance.now();
    const init: RequestInit & { client: Deno.HttpClient } = {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ profile_id: 1, messages }),
      client,
    };
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/api/chat/completions`, init);
    return measure(started, res, (e) => {
      const event = e as { type: string; content?: string };
      return event.type === "response" ? event.content ?? "" : "";
    });
  };

  try {
    await direct();
    await proxied(); // warm up both paths and their pooled connections
    const d: Sample[] = [];
    const p: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate the order so drift on a busy machine hits both paths alike.
      if (i % 2 === 0) {
        d.push(await direct());
        p.push(await proxied());
      } else {
        p.push(await proxied());
        d.push(await direct());
      }
    }
    if (p.some((s, i) => s.chars !== d[i].chars)) throw new Error("The two paths streamed different text");
    const added = median(p.map((s, i) => s.ttft - d[i].ttft));
    const ratio = median(p.map((s) => s.rate)) / median(d.map((s) => s.rate));
    // deno-lint-ignore no-console
    console.log(
      `chat stream, ${name}: ${runs} runs of ${d[0].chars} characters\n` +
        `  time to first token: direct ${median(d.map((s) => s.ttft)).toFixed(2)} ms, ` +
        `through the manager ${median(p.map((s) => s.ttft)).toFixed(2)} ms; added (median of pairs) ` +
        `${added.toFixed(2)} ms (target ≤ 5 ms)\n` +
        `  streaming rate: direct ${median(d.map((s) => s.rate)).toFixed(0)} chars/s, ` +
        `through the manager ${median(p.map((s) => s.rate)).toFixed(0)} chars/s; ratio ${ratio.toFixed(3)} ` +
        `(target ≥ 0.95)`,
    );
  } finally {
    client.close();
    await server.shutdown();
    await rt.close();
    await fake.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
}

if (import.meta.main) {
  const reply = "The quick brown fox jumps over the lazy dog. ".repeat(10);
  // About 100 tokens/s, a quick local model: what people see.
  await scenario("paced at 10 ms per token", { FAKE_MLX_TOKEN_DELAY_MS: "10", FAKE_MLX_REPLY: reply }, 15);
  // No pacing: the proxy's own ceiling on this machine.
  await scenario("unpaced", { FAKE_MLX_TOKEN_DELAY_MS: "0", FAKE_MLX_REPLY: reply.repeat(20) }, 15);
}
