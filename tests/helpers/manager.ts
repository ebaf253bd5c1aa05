/**
 * Runs the manager as its own process, as a user would, for tests and
 * benchmarks that need a real restart or a real start from elsewhere.
 *
 * @module
 */
import { join } from "node:path";
import { ROOT } from "../../lib/paths.ts";
import { cliEnv } from "./cli.ts";

/** Options of {@link startManager}. */
export interface StartManagerOptions {
  /** The data dir (also HOME). */
  dataDir: string;
  /** The module to run: `main.ts` (source) or `tasks/start.ts` (the server bundle). @default "main.ts" */
  entry?: string;
  /** The checkout to run it from (a benchmark compares another one). @default this one */
  root?: string;
  /** The working directory. @default the project root */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** How long to wait for the listening line. @default 30000 */
  timeoutMs?: number;
  /** Runs it under `ulimit -n <openFiles>` (soft and hard). @default the test's own limit */
  openFiles?: number;
}

/** A running manager process and its base URL. */
export interface ManagerProcess {
  child: Deno.ChildProcess;
  url: string;
  /** Everything the manager has logged so far. */
  log(): string;
  /** A JSON request to the manager (as `token`'s user); its parsed answer, or an error naming a non-2xx one. */
  call<T = Record<string, string | number>>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<T>;
}

/** {@link ManagerProcess.call} of the manager at `url`. */
function caller(url: string): ManagerProcess["call"] {
  return async <T>(method: string, path: string, body?: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
}

/**
 * Starts `<entry> serve --port 0` and resolves once it logs its URL. The log
 * keeps being drained, so the child never blocks on a full pipe.
 *
 * @example
 * ```ts
 * const { child, url } = await startManager({ dataDir, env: { HF_ENDPOINT: hub.url } });
 * child.kill("SIGKILL");
 * ```
 */
export async function startManager(options: StartManagerOptions): Promise<ManagerProcess> {
  const { dataDir, entry = "main.ts", root = ROOT, env = {}, timeoutMs = 30_000, openFiles } = options;
  const cwd = options.cwd ?? root;
  const args = ["run", "-A", "--config", join(root, "deno.json"), join(root, entry), "serve", "--port", "0"];
  // `exec` keeps the manager's pid the child's, so signals and /proc/<pid> reach the manager itself.
  const [program, argv] = openFiles === undefined
    ? [Deno.execPath(), args]
    : ["/bin/sh", ["-c", `ulimit -n ${openFiles} && exec "$0" "$@"`, Deno.execPath(), ...args]];
  const child = new Deno.Command(program, {
    args: argv,
    cwd,
    env: cliEnv(dataDir, { MLX_MANAGER_LOG_LEVEL: "info", ...env }),
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
    const match = seen.match(/listening on (http:\/\/[\d.]+:\d+)/);
    if (match) {
      (async () => {
        while (true) {
          const next = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (next.done) break;
          seen += next.value;
        }
      })();
      return { child, url: match[1], log: () => seen, call: caller(match[1]) };
    }
  }
  child.kill("SIGKILL");
  await child.status;
  throw new Error(`The manager did not start:\n${seen}`);
}
