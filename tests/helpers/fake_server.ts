/**
 * Starts the fake `mlx-openai-server` as a real process on a free loopback
 * port, for tests that talk to a model server without the supervisor.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { freePort } from "./net.ts";

/** A record the fake wrote: one JSON line of its record file. */
type FakeRecord = Record<string, unknown>;

/**
 * Waits until one of `records()` matches; fails after `timeoutMs` listing
 * every record, so a test's failure shows what the fake did receive.
 */
export function recordWaiter(
  records: () => Promise<FakeRecord[]>,
): (match: (r: FakeRecord) => boolean, timeoutMs?: number) => Promise<void> {
  return async function waitForRecord(match, timeoutMs = 5000) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if ((await records()).some(match)) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`No matching record within ${timeoutMs} ms: ${JSON.stringify(await records())}`);
  };
}

/** The fake's executable, spawned with the real server's argv. */
export const FAKE_SERVER_BIN = fileURLToPath(new URL("../fixtures/bin/mlx-openai-server", import.meta.url));

/** A running fake server. */
export interface FakeServer {
  /** e.g. `http://127.0.0.1:40123` */
  url: string;
  port: number;
  /** The `--model-path` it was given (and reports as its model id). */
  modelPath: string;
  /** The RECORD file: one JSON line per chat request and per client hang-up. */
  recordFile: string;
  /** The lines of the RECORD file so far. */
  records(): Promise<Record<string, unknown>[]>;
  /** Waits until a record matches, or fails after `timeoutMs`. */
  waitForRecord(match: (r: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit status once the process ends. */
  exited: Promise<Deno.CommandStatus>;
  /** Stops the process (SIGTERM) and removes its files. */
  stop(): Promise<void>;
}

/** The command line the supervisor gives a server, for the fake on loopback at `port`. */
export function fakeLaunchArgs(modelPath: string, port: number): string[] {
  return [
    "launch",
    "--model-path",
    modelPath,
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--no-log-file",
  ];
}

/**
 * Spawns the fake and waits for `/health` to answer 200.
 *
 * @example
 * ```ts
 * const fake = await startFakeServer({ FAKE_MLX_REASONING: "tags" });
 * // … talk to fake.url …
 * await fake.stop();
 * ```
 */
export async function startFakeServer(
  env: Record<string, string> = {},
  options: { modelPath?: string; args?: string[] } = {},
): Promise<FakeServer> {
  const dir = await Deno.makeTempDir({ prefix: "fake-mlx-" });
  const recordFile = `${dir}/record.jsonl`;
  await Deno.writeTextFile(recordFile, "");
  const port = freePort();
  const modelPath = options.modelPath ?? "mlx-community/Fake-Model-4bit";
  const child = new Deno.Command(FAKE_SERVER_BIN, {
    args: [...fakeLaunchArgs(modelPath, port), ...(options.args ?? [])],
    cwd: dir,
    env: { DENO_BIN: Deno.execPath(), FAKE_MLX_LOAD_DELAY_MS: "0", FAKE_MLX_RECORD: recordFile, ...env },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const exited = child.status;
  const url = `http://127.0.0.1:${port}`;
  const records = async () =>
    (await Deno.readTextFile(recordFile)).split("\n").filter(Boolean).map((l) => JSON.parse(l));
  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await exited;
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  const deadline = Date.now() + 20_000;
  let ready = false;
  let dead = false;
  exited.then(() => dead = true);
  while (!ready && !dead && Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health`);
      await res.body?.cancel();
      ready = res.status === 200;
    } catch { /* still loading */ }
    if (!ready) await new Promise((r) => setTimeout(r, 25));
  }
  if (!ready) {
    await stop();
    throw new Error(`The fake mlx-openai-server did not become ready on port ${port}`);
  }
  return {
    url,
    port,
    modelPath,
    recordFile,
    records,
    waitForRecord: recordWaiter(records),
    exited,
    stop,
  };
}
