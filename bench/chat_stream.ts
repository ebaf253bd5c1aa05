/**
 * Chat streaming overhead: the same answer streamed from the fake
 * mlx-openai-server directly and through the manager's
 * `POST /api/chat/completions`, alternating, in one run. The fake, the
 * manager and this client run as three processes, as they do in use.
 *
 * Prints, per scenario, the median time to first token of each path, the
 * median added time to first token (over pairs of runs), and the ratio of
 * streaming rates (characters per second between the first and last text).
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

/** The manager in a process of its own. */
interface ManagerProcess {
  url: string;
  token: string;
  stop(): Promise<void>;
}

/** Starts this script in `--serve` mode and reads its port and token. */
async function startManager(fakeUrl: string, modelPath: string): Promise<ManagerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", import.meta.filename!, "--serve", fakeUrl, modelPath],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("The manager process ended before it was ready");
    text += value;
  }
  await reader.cancel();
  const { port, token } = JSON.parse(text);
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

/** `--serve` mode: the manager with the fake as profile 1; prints its port and a session token. */
async function serveManager(fakeUrl: string, modelPath: string): Promise<void> {
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
      modelId: modelPath,
      modelType: "lm",
      systemPrompt: null,
      state: "running",
      baseUrl: fakeUrl,
    }]),
  });
  const email = "bench@example.com";
  await rt.deps.accounts.register({ email, password: "a long bench password" });
  const { token } = await rt.deps.accounts.login({
    email,
    password: "a long bench password",
    client: "bench",
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, rt.app.fetch);
  Deno.addSignalListener("SIGTERM", async () => {
    await server.shutdown();
    await rt.close();
    await Deno.remove(dataDir, { recursive: true });
    Deno.exit(0);
  });
  await Deno.stdout.write(new TextEncoder().encode(`${JSON.stringify({ port: server.addr.port, token })}\n`));
}

async function scenario(name: string, knobs: Record<string, string>, runs: number): Promise<void> {
  const fake = await startFakeServer({ FAKE_MLX_CHUNK_CHARS: "4", ...knobs });
  const manager = await startManager(fake.url, fake.modelPath);
  const messages = [{ role: "user", content: "stream please" }];
  const client = Deno.createHttpClient({});
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit & { client: Deno.HttpClient } = {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      client,
    };
    return fetch(url, init);
  };
  const direct = async (): Promise<Sample> => {
    const started = performance.now();
    const res = await post(`${fake.url}/v1/chat/completions`, {
      model: fake.modelPath,
      messages,
      stream: true,
    });
    return measure(
      started,
      res,
      (c) => (c as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? "",
    );
  };
  const proxied = async (): Promise<Sample> => {
    const started = performance.now();
    const res = await post(`${manager.url}/api/chat/completions`, { profile_id: 1, messages }, {
      authorization: `Bearer ${manager.token}`,
    });
    return measure(started, res, (e) => {
      const event = e as { type: string; content?: string };
      return event.type === "response" ? event.content ?? "" : "";
    });
  };

  try {
    for (let i = 0; i < 3; i++) {
      await direct();
      await proxied(); // warm up both paths and their pooled connections
    }
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
    await manager.stop();
    await fake.stop();
  }
}

if (import.meta.main && Deno.args[0] === "--serve") {
  await serveManager(Deno.args[1], Deno.args[2]);
} else if (import.meta.main) {
  const reply = "The quick brown fox jumps over the lazy dog. ".repeat(10);
  // About 100 tokens/s, a quick local model: what people see.
  await scenario("paced at 10 ms per token", { FAKE_MLX_TOKEN_DELAY_MS: "10", FAKE_MLX_REPLY: reply }, 21);
  // No pacing: the proxy's own ceiling on this machine.
  await scenario("unpaced", { FAKE_MLX_TOKEN_DELAY_MS: "0", FAKE_MLX_REPLY: reply.repeat(20) }, 15);
}
