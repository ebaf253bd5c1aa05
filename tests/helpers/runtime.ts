/**
 * Builds the real app for tests: real SQLite (in memory), a temporary data
 * dir, the built assets and a silent logger.
 *
 * @module
 */
import { createRuntime, type PlatformOptions, type Runtime, type RuntimeOptions } from "../../runtime.ts";
import { loadConfig } from "../../lib/config.ts";
import { createLogger } from "../../lib/logger.ts";

/** Options of {@link testRuntime}. */
export interface TestRuntimeOptions {
  /** Extra environment variables for `loadConfig`. */
  env?: Record<string, string>;
  /** Log lines are collected here instead of printed. */
  logs?: string[];
  /** Extra options of `createRuntime` (service seams). */
  runtime?: Omit<RuntimeOptions, "logger">;
  /** The machine the system and launchd services see (e.g. a recorded Mac). */
  platform?: PlatformOptions;
  /**
   * The data dir to use, which `close()` keeps (a restart test opens a second
   * runtime on it; pair it with file `MLX_MANAGER_DATABASE_PATH` and
   * `MLX_MANAGER_KV_PATH`). @default a fresh temporary dir, removed by `close()`
   */
  dataDir?: string;
}

/**
 * A runtime plus its temporary data dir, removed by `close()`. It is
 * disposable: `await using rt = await testRuntime()` closes it (stopping the
 * model servers it started) when the test's scope ends, even on failure.
 */
export interface TestRuntime extends Runtime, AsyncDisposable {
  dataDir: string;
}

/**
 * Creates an app backed by an in-memory database and a fresh data dir.
 *
 * @example
 * ```ts
 * Deno.test("GET /health answers 200", async () => {
 *   await using rt = await testRuntime();
 *   assert.equal((await rt.app.request("/health")).status, 200);
 * });
 * ```
 */
export async function testRuntime(
  options: TestRuntimeOptions = {},
): Promise<TestRuntime> {
  const dataDir = options.dataDir ?? await Deno.makeTempDir({ prefix: "mlx-manager-test-" });
  const config = loadConfig({
    // Model servers get the manager's PATH (to find their interpreter), as in production.
    PATH: Deno.env.get("PATH") ?? "",
    HOME: dataDir,
    MLX_MANAGER_DATA_DIR: dataDir,
    MLX_MANAGER_DATABASE_PATH: ":memory:",
    MLX_MANAGER_KV_PATH: ":memory:",
    MLX_MANAGER_LOG_LEVEL: options.logs ? "debug" : "silent",
    MLX_MANAGER_OFFLINE: "true",
    ...options.env,
  });
  const logger = createLogger(
    config.logLevel,
    (line) => options.logs?.push(line),
  );
  const runtime = await createRuntime(config, { ...options.runtime, logger, platform: options.platform });
  const close = async (opts?: { graceful?: boolean }) => {
    // Tests stop the model servers they started unless they ask otherwise.
    await runtime.close(opts ?? { graceful: true });
    if (!options.dataDir) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  };
  return { ...runtime, dataDir, close, [Symbol.asyncDispose]: () => close() };
}

/**
 * Serves `runtime.app` on a random loopback port; returns its base URL and a stop function.
 * `hostname` "::1" serves IPv6 loopback: its clients have another address than 127.0.0.1's.
 */
export function listen(
  runtime: Runtime,
  hostname = "127.0.0.1",
): { url: string; stop: () => Promise<void> } {
  const server = Deno.serve(
    { hostname, port: 0, onListen() {} },
    runtime.app.fetch,
  );
  return {
    url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${server.addr.port}`,
    stop: () => server.shutdown(),
  };
}
