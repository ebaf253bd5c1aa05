/**
 * `mlx-manager install-service` and `uninstall-service`: MLX Manager itself
 * as a LaunchAgent (`com.mlx-manager.app`) that starts at login.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { Config } from "../lib/config.ts";
import { Launchd } from "../services/launchd/mod.ts";
import { jobLogPath, MANAGER_LABEL } from "../services/launchd/job.ts";
import { managerJob, type SelfCommand, selfCommand } from "../services/launchd/manager_job.ts";
import { DenoCommandRunner } from "../services/platform/runner.ts";
import { asCliError, CliError, EXIT, type ExitCode, print } from "./io.ts";
import { commandConfig } from "./config.ts";
import { serverUrl } from "../services/platform/dial.ts";

/** Help of `install-service`. */
export const INSTALL_SERVICE_HELP = `Usage: mlx-manager install-service [options]

Run MLX Manager at login as a LaunchAgent (${MANAGER_LABEL}, macOS only),
with this machine's settings (data dir, port, host, model server).

Options:
  -p, --port <n>   Port the service listens on (default MLX_MANAGER_PORT or 8080)
      --host <h>   Address it binds (default MLX_MANAGER_HOST or 127.0.0.1)
      --print      Print the plist instead of installing it (works on any system)
  -h, --help       Print this help
`;

/** Help of `uninstall-service`. */
export const UNINSTALL_SERVICE_HELP = `Usage: mlx-manager uninstall-service

Stop the MLX Manager LaunchAgent and remove it (macOS only).
`;

/** What the service commands act on; tests pass a recorded launchd. */
export interface ServiceContext {
  config: Config;
  launchd: Launchd;
  self: SelfCommand;
}

async function realContext(config: Config): Promise<ServiceContext> {
  const launchd = new Launchd({
    os: Deno.build.os,
    runner: new DenoCommandRunner(),
    uid: Deno.uid(),
    home: config.home,
  });
  return { config, launchd, self: await selfCommand() };
}

function requireLaunchd(launchd: Launchd, command: string): void {
  if (!launchd.available) {
    throw new CliError(
      `${command} needs macOS, where MLX Manager runs as a LaunchAgent. ` +
        `Elsewhere run "mlx-manager serve" from your service manager (for example a systemd user unit)`,
      EXIT.failure,
    );
  }
}

/** Installs (or, with `print`, shows) the manager's LaunchAgent; returns the lines to print. */
export async function installManagerService(context: ServiceContext, options: { print?: boolean } = {}) {
  const job = managerJob(context.config, context.self);
  if (options.print) return [context.launchd.plist(job).trimEnd()];
  requireLaunchd(context.launchd, "install-service");
  const { plist_path } = await context.launchd.install(job).catch(asCliError);
  return [
    `Installed ${MANAGER_LABEL}: MLX Manager starts at login and now runs on ${
      serverUrl(context.config.host, context.config.port)
    }`,
    `Plist: ${plist_path}`,
    `Logs: ${jobLogPath(job)}`,
  ];
}

/** Removes the manager's LaunchAgent; returns the lines to print. */
export async function uninstallManagerService(context: ServiceContext) {
  requireLaunchd(context.launchd, "uninstall-service");
  const { removed } = await context.launchd.uninstall(MANAGER_LABEL).catch(asCliError);
  return [
    removed
      ? `Removed ${MANAGER_LABEL}: MLX Manager no longer starts at login`
      : "MLX Manager was not installed as a service",
  ];
}

/** Runs `install-service`. */
export async function installService(argv: string[]): Promise<ExitCode> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", short: "p" },
      host: { type: "string" },
      print: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    print(INSTALL_SERVICE_HELP.trimEnd());
    return EXIT.ok;
  }
  const config = commandConfig({ MLX_MANAGER_PORT: values.port, MLX_MANAGER_HOST: values.host });
  for (const line of await installManagerService(await realContext(config), { print: values.print })) {
    print(line);
  }
  return EXIT.ok;
}

/** Runs `uninstall-service`. */
export async function uninstallService(argv: string[]): Promise<ExitCode> {
  const { values } = parseArgs({ args: argv, options: { help: { type: "boolean", short: "h" } } });
  if (values.help) {
    print(UNINSTALL_SERVICE_HELP.trimEnd());
    return EXIT.ok;
  }
  for (const line of await uninstallManagerService(await realContext(commandConfig()))) print(line);
  return EXIT.ok;
}
