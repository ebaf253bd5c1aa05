/**
 * Chat streaming overhead: the same answer streamed from the fake
 * mlx-openai-server directly and through the manager's
 * `POST /api/chat/completions`, alternating, in one run. The manager runs
 * as `main.ts serve` with a profile whose server (the fake) its supervisor
 * started, and this client is a third process: the path people use.
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
import { fileURLToPath } from "node:url";
import { SseDataDecoder } from "../lib/chat/sse_decoder.ts";
import { FAKE_SERVER_BIN } from "../tests/helpers/fake_server.ts";
import { freePort } from "../tests/helpers/net.ts";

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

/** The manager (`main.ts serve`) in a process of its own, with one running profile. */
interface Manager {
  url: string;
  token: string;
  /** Where the profile's server (the fake) listens. */
  serverUrl: string;
  modelPath: string;
  profileId: number;
  stop(): Promise<void>;
}

async function api(
  url: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const data = await res.json();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(data)}`);
  return data;
}

/**
 * Starts the manager as in production, registers an admin, creates a
 * profile for the fake (with `knobs` in its model folder) and starts it
 * through the API, so the measured path is the real one.
 */
async function startManager(knobs: Record<string, string>): Promise<Manager> {
  const dataDir = await Deno.makeTempDir({ prefix: "bench-chat-" });
  const modelPath = `${dataDir}/model`;
  await Deno.mkdir(modelPath);
  await Deno.writeTextFile(`${modelPath}/config.json`, JSON.stringify({ model_type: "qwen3" }));
  await Deno.writeTextFile(`${modelPath}/fake.json`, JSON.stringify({ load_delay_ms: 0, ...knobs }));
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      fileURLToPath(new URL("../main.ts", import.meta.url)),
      "serve",
      "--port",
      String(port),
    ],
    env: {
      MLX_MANAGER_DATA_DIR: dataDir,
      MLX_MANAGER_MLX_SERVER: FAKE_SERVER_BIN,
      MLX_MANAGER_LOG_LEVEL: "warn",
      DENO_BIN: Deno.execPath(),
    },
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  };
  try {
    for (let ready = false; !ready;) {
      ready = await fetch(`${url}/health`).then((r) => (r.body?.cancel(), r.ok), () => false);
      if (!ready) await new Promise((r) => setTimeout(r, 50));
    }
    const account = { email: "bench@example.com", password: "a long bench password" };
    await api(url, "/api/auth/register", account);
    const token = String((await api(url, "/api/auth/login", account)).access_token);
    const serverPort = freePort();
    const profile = await api(url, "/api/profiles", {
      name: "bench",
      model_path: modelPath,
      port: serverPort,
    }, token);
    await api(url, `/api/servers/${profile.id}/start?wait=true`, {}, token);
    return {
      url,
      token,
      serverUrl: `http://127.0.0.1:${serverPort}`,
      modelPath,
      profileId: Number(profile.id),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function scenario(name: string, knobs: Record<string, string>, runs: number): Promise<void> {
  const manager = await startManager({ chunk_chars: "4", ...knobs });
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
    const res = await post(`${manager.serverUrl}/v1/chat/completions`, {
      model: manager.modelPath,
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
    const res = await post(
      `${manager.url}/api/chat/completions`,
      { profile_id: manager.profileId, messages },
      {
        authorization: `Bearer ${manager.token}`,
      },
    );
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
  }
}

if (import.meta.main) {
  const reply = "The quick brown fox jumps over the lazy dog. ".repeat(10);
  // About 100 tokens/s, a quick local model: what people see.
  await scenario("paced at 10 ms per token", { token_delay_ms: "10", reply }, 21);
  // No pacing: the proxy's own ceiling on this machine.
  await scenario("unpaced", { token_delay_ms: "0", reply: reply.repeat(20) }, 15);
}
