/**
 * MLX Manager: the command line and the web server.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "./lib/config.ts";
import { isBuildStale } from "./lib/build.ts";
import { createRuntime } from "./app.ts";
import { createLogger } from "./lib/logger.ts";

const VERSION = "0.1.0";

const HELP = `MLX Manager ${VERSION}: find, download, run and chat with MLX models

Usage: mlx-manager [command] [options]

Commands:
  serve        Run the web app (default)

Options:
  --port <n>   Port to listen on (MLX_MANAGER_PORT, default 8080)
  --host <h>   Address to bind (MLX_MANAGER_HOST, default 127.0.0.1)
  --version    Print the version
  --help       Print this help
`;

function fail(message: string, code = 1): never {
  // deno-lint-ignore no-console
  console.error(`Error: ${message}`);
  Deno.exit(code);
}

async function serve(args: { port?: string; host?: string }): Promise<void> {
  const env = Deno.env.toObject();
  if (args.port !== undefined) env.MLX_MANAGER_PORT = args.port;
  if (args.host !== undefined) env.MLX_MANAGER_HOST = args.host;
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  if (await isBuildStale()) {
    logger.info("Building assets");
    const { build } = await import("./lib/build.ts");
    await build();
  }
  const runtime = await createRuntime(config, { logger });
  const shutdown = new AbortController();
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    signal: shutdown.signal,
    onListen: ({ hostname, port }) => logger.info(`MLX Manager listening on http://${hostname}:${port}`),
  }, runtime.app.fetch);
  await runtime.start();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, async () => {
      logger.info(`Stopping (${signal})`);
      shutdown.abort();
      await runtime.close({ graceful: true });
      Deno.exit(0);
    });
  }
  await server.finished;
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: "string", short: "p" },
        host: { type: "string" },
        version: { type: "boolean", short: "v" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}\nRun "mlx-manager --help" for usage`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    return void Deno.stdout.writeSync(new TextEncoder().encode(HELP));
  }
  // deno-lint-ignore no-console
  if (values.version) return void console.log(`MLX Manager ${VERSION}`);
  const command = positionals[0] ?? "serve";
  try {
    if (command === "serve") return await serve(values);
    fail(`unknown command "${command}"\nRun "mlx-manager --help" for usage`, 2);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
}

if (import.meta.main) await main(Deno.args);
