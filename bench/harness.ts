/**
 * What the benchmarks that drive a whole manager share: the manager as its
 * own process (through the one test helper) with an admin signed in, a
 * profile of the fake mlx-openai-server started through the API, and a
 * cheap SSE reader that ends when asked to.
 *
 * @module
 */
import { SseDataDecoder } from "../lib/chat/sse_decoder.ts";
import { FAKE_SERVER_BIN } from "../tests/helpers/fake_server.ts";
import { startManager } from "../tests/helpers/manager.ts";
import { freePort } from "../tests/helpers/net.ts";

/** A manager process with a signed-in admin. */
export interface BenchManager {
  url: string;
  /** The manager's process id, for its CPU time. */
  pid: number;
  token: string;
  dataDir: string;
  /** Calls the API as the admin; throws on a non-2xx answer. */
  api(method: string, path: string, body?: unknown): Promise<unknown>;
  /** Stops the manager (and with it every model server) and removes its data. */
  stop(): Promise<void>;
}

/** Options of {@link benchManager}. */
export interface BenchManagerOptions {
  /** Extra environment variables for the manager. */
  env?: Record<string, string>;
}

/** Starts `main.ts serve` on its own data dir and registers an admin. */
export async function benchManager(options: BenchManagerOptions = {}): Promise<BenchManager> {
  const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-bench-" });
  const { child, url } = await startManager({
    dataDir,
    env: {
      MLX_MANAGER_MLX_SERVER: FAKE_SERVER_BIN,
      MLX_MANAGER_OFFLINE: "true",
      DENO_BIN: Deno.execPath(),
      ...options.env,
    },
  });
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  };
  let token = "";
  const api = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
  try {
    const account = { email: "bench@example.com", password: "a long bench password" };
    await api("POST", "/api/auth/register", account);
    token = String((await api("POST", "/api/auth/login", account) as { access_token: string }).access_token);
    return { url, pid: child.pid, token, dataDir, api, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A running profile of the fake server. */
export interface BenchProfile {
  id: number;
  /** Where the fake listens, to stream from it directly. */
  serverUrl: string;
  modelPath: string;
  /** The fake's process id. */
  pid: number;
}

/**
 * Creates a model folder with the fake's `knobs` (as in its `fake.json`), a
 * profile for it (with more profile `fields`), and starts it through the API,
 * waiting until it runs.
 */
export async function startFakeProfile(
  manager: BenchManager,
  name: string,
  knobs: Record<string, string | number>,
  fields: Record<string, unknown> = {},
): Promise<BenchProfile> {
  const modelPath = `${manager.dataDir}/models/${name}`;
  await Deno.mkdir(modelPath, { recursive: true });
  await Deno.writeTextFile(`${modelPath}/config.json`, JSON.stringify({ model_type: "qwen3" }));
  await Deno.writeTextFile(`${modelPath}/fake.json`, JSON.stringify({ load_delay_ms: 0, ...knobs }));
  const port = freePort();
  const profile = await manager.api("POST", "/api/profiles", {
    name,
    model_path: modelPath,
    port,
    ...fields,
  }) as {
    id: number;
  };
  await manager.api("POST", `/api/servers/${profile.id}/start?wait=true`, {});
  const status = await manager.api("GET", `/api/servers/${profile.id}/status`) as { pid: number | null };
  if (!status.pid) throw new Error(`The fake server of ${name} reports no process id`);
  return { id: profile.id, serverUrl: `http://127.0.0.1:${port}`, modelPath, pid: status.pid };
}

/**
 * Reads an SSE response with one reused buffer and one streaming decoder,
 * calling `onPayload` with each `data` payload and the time it arrived.
 * Aborting `signal` cancels the read at once.
 */
export async function readSse(
  response: Response,
  onPayload: (payload: string, at: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const reader = response.body!.getReader({ mode: "byob" });
  const cancel = () => reader.cancel().catch(() => {});
  signal?.addEventListener("abort", cancel, { once: true });
  const text = new TextDecoder();
  const events = new SseDataDecoder();
  let buffer = new ArrayBuffer(64 * 1024);
  try {
    while (!signal?.aborted) {
      const { value, done } = await reader.read(new Uint8Array(buffer));
      const at = performance.now();
      const payloads = done ? events.end() : events.push(text.decode(value, { stream: true }));
      for (const payload of payloads) onPayload(payload, at);
      if (done) return;
      buffer = value!.buffer as ArrayBuffer;
    }
  } catch (error) {
    if (!signal?.aborted) throw error;
  } finally {
    signal?.removeEventListener("abort", cancel);
    if (signal?.aborted) await cancel();
  }
}
