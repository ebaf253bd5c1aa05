/**
 * `mlx-manager serve`: runs the web app until SIGINT or SIGTERM.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { isBuildStale } from "../tasks/build_stamp.ts";
import { RUNNING_FROM_BUNDLE } from "../lib/paths.ts";
import { createRuntime } from "../runtime.ts";
import { createLogger } from "../lib/logger.ts";
import { DenoCommandRunner } from "../services/platform/runner.ts";
import { isCompiled } from "../services/launchd/manager_job.ts";
import { commandConfig } from "./config.ts";
import { serverUrl } from "../services/platform/dial.ts";
import { openUrl } from "./open.ts";
import { EXIT, type ExitCode, print } from "./io.ts";
import { listen } from "./listen.ts";
import { connectionLimit, openFileLimit } from "../services/platform/open_files.ts";

/** Help of `serve`. */
export const SERVE_HELP = `Usage: mlx-manager serve [options]

Run the web app (the default command).

Options:
  -p, --port <n>   Port to listen on (MLX_MANAGER_PORT, default 8080)
      --host <h>   Address to bind (MLX_MANAGER_HOST, default 127.0.0.1)
      --open       Open the app in the browser once it listens
  -h, --help       Print this help
`;

/** Runs the server; resolves when it has stopped. */
export async function serve(argv: string[]): Promise<ExitCode> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", short: "p" },
      host: { type: "string" },
      open: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    print(SERVE_HELP.trimEnd());
    return EXIT.ok;
  }
  const config = commandConfig({ MLX_MANAGER_PORT: values.port, MLX_MANAGER_HOST: values.host });
  const logger = createLogger(config.logLevel);
  // A compiled binary carries its built assets and cannot run the bundler; the server bundle was just built.
  if (!isCompiled() && !RUNNING_FROM_BUNDLE && await isBuildStale()) {
    logger.info("Building assets");
    const { build } = await import("../tasks/build.ts");
    await build();
  }
  // Before anything is opened: raise the open-file limit, which bounds the connections served.
  const files = await openFileLimit();
  const maxConnections = connectionLimit(files.soft);
  const runtime = await createRuntime(config, { logger });
  const shutdown = new AbortController();
  // The process ends only once every model server it stops is gone (SIGKILL after the stop timeout)
  // and the stores are closed; returning when the HTTP server finishes would cut that short.
  let closing: Promise<void> | null = null;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      if (closing) return;
      logger.info(`Stopping (${signal})`);
      shutdown.abort();
      closing = runtime.close({ graceful: true }).catch((error) => {
        logger.error("Shutdown did not finish cleanly", { error: String(error) });
      });
    });
  }
  let url = serverUrl(config.host, config.port);
  const server = await listen(runtime, {
    hostname: config.host,
    port: config.port,
    handler: runtime.app.fetch,
    maxConnections,
    clientTimeoutMs: config.clientTimeout * 1000,
    logger,
    signal: shutdown.signal,
    onListen: ({ hostname, port }) => {
      url = serverUrl(hostname, port);
      logger.info(
        `MLX Manager listening on http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`,
      );
    },
  });
  logger.info(`Serving up to ${maxConnections} connections at once`, {
    open_file_limit: files.soft,
    raised: files.raised,
  });
  await runtime.start();
  if (values.open) {
    const problem = await openUrl(new DenoCommandRunner(), Deno.build.os, url);
    if (problem) logger.warn(`Cannot open a browser (${problem}): open ${url} yourself`);
  }
  await server.finished;
  await closing;
  return EXIT.ok;
}
