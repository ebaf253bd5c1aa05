/**
 * `mlx-manager menubar …`: an xbar/SwiftBar plugin showing running servers
 * and memory, whose items start and stop profiles and open the app — all
 * through the API with the token `login` saved.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { VERSION } from "../lib/version.ts";
import type { Config } from "../lib/config.ts";
import { DenoCommandRunner } from "../services/platform/runner.ts";
import type { CommandRunner } from "../services/platform/runner.ts";
import type { OsName } from "../services/system/probes.ts";
import { selfCommand } from "../services/launchd/manager_job.ts";
import { MANAGER_LABEL } from "../services/launchd/job.ts";
import { guiDomain } from "../services/launchd/launchctl.ts";
import { CliError, EXIT, type ExitCode, print, usageError } from "./io.ts";
import { commandConfig, parseUrl } from "./config.ts";
import { serverUrl } from "../services/platform/dial.ts";
import { resolveTarget } from "./target.ts";
import { type MenuProfile, type MenuState, pluginScript, renderMenu } from "./menubar_render.ts";
import { summarize } from "./status.ts";

/** Help of `menubar`. */
export const MENUBAR_HELP = `Usage: mlx-manager menubar <install|render|start|stop> [options]

A menubar item for xbar (https://xbarapp.com) or SwiftBar: running servers,
memory and GPU; start and stop profiles; open the app. Sign in first with
"mlx-manager login".

Commands:
  install [--dir <folder>] [--url <url>] [--interval <seconds>]
                   Write the plugin script mlx-manager.<interval>s.sh into the
                   xbar plugin folder, SwiftBar's plugin folder, or --dir
  render [--url <url>]
                   Print the menu (what the plugin script runs)
  start <id>       Start a profile's server
  stop <id>        Stop a profile's server

Exit codes: 0 ok, 1 failure, 2 usage, 3 not reachable, 4 not signed in
`;

/** Where xbar keeps plugins. */
export function xbarPluginDir(home: string): string {
  return join(home, "Library", "Application Support", "xbar", "plugins");
}

async function isDirectory(path: string): Promise<boolean> {
  return await Deno.stat(path).then((s) => s.isDirectory, () => false);
}

/** The plugin folder: xbar's when it exists, else SwiftBar's configured one. */
export async function findPluginDir(home: string, runner: CommandRunner, os: OsName): Promise<string> {
  if (os !== "darwin") {
    throw new CliError(
      "xbar and SwiftBar are macOS apps: pass --dir to write the plugin elsewhere",
      EXIT.failure,
    );
  }
  if (await isDirectory(xbarPluginDir(home))) return xbarPluginDir(home);
  const swiftbar = await runner.run("defaults", ["read", "com.ameba.SwiftBar", "PluginDirectory"]);
  const configured = swiftbar.stdout.trim().replace(/^~(?=\/|$)/, home);
  if (swiftbar.code === 0 && configured && await isDirectory(configured)) return configured;
  throw new CliError(
    "Found no xbar or SwiftBar plugin folder: install xbar (https://xbarapp.com) or SwiftBar and open it once, or pass --dir",
    EXIT.failure,
  );
}

/** Writes the plugin script; returns its path. */
export async function installPlugin(
  options: { config: Config; dir: string; url: string; intervalSeconds: number },
): Promise<string> {
  const path = join(options.dir, `mlx-manager.${options.intervalSeconds}s.sh`);
  const script = pluginScript({
    self: await selfCommand(),
    dataDir: options.config.dataDir,
    url: options.url,
    version: VERSION,
  });
  await Deno.mkdir(options.dir, { recursive: true });
  await Deno.writeTextFile(path, script, { mode: 0o755 });
  await Deno.chmod(path, 0o755).catch(() => {});
  return path;
}

/** Reads the menu's state from the manager; failures become what the menu shows, never a throw. */
export async function menuState(options: { url?: string }): Promise<MenuState> {
  const { client, url, token, config } = await resolveTarget(
    { url: options.url, timeoutMs: 3000 },
    "menubar",
  );
  const serviceTarget = Deno.build.os === "darwin" && Deno.uid() !== null &&
      await Deno.stat(join(config.home, "Library", "LaunchAgents", `${MANAGER_LABEL}.plist`)).then(
        () => true,
        () => false,
      )
    ? `${guiDomain(Deno.uid()!)}/${MANAGER_LABEL}`
    : null;
  const state: MenuState = {
    url,
    version: VERSION,
    reachable: false,
    signedIn: false,
    problem: null,
    memory: null,
    gpuPercent: null,
    servers: [],
    stopped: [],
    self: await selfCommand(),
    serviceTarget,
  };
  try {
    await client.ensureReachable();
  } catch {
    return state;
  }
  state.reachable = true;
  if (!token) return state;
  const [memory, servers, profiles] = await Promise.all([
    client.request<MenuState["memory"] & { gpu: { utilization_percent: number | null } | null }>(
      "GET",
      "/api/system/memory",
    ),
    client.request<Record<string, unknown>[]>("GET", "/api/servers"),
    client.request<Record<string, unknown>[]>("GET", "/api/profiles"),
  ]).catch((error) => {
    state.problem = (error as Error).message.split("\n")[0];
    return [null, null, null];
  });
  if (!memory) return state;
  if (memory.status === 401 || memory.status === 403) return state;
  state.signedIn = true;
  if (memory.status === 200) {
    state.memory = memory.body;
    state.gpuPercent = memory.body?.gpu?.utilization_percent ?? null;
  }
  if (servers?.status === 200 && Array.isArray(servers.body)) {
    state.servers = servers.body.map(summarize).filter((s) =>
      !["stopped", "failed", "crashed"].includes(s.state)
    );
  } else state.problem = `No server list at ${url} (HTTP ${servers?.status})`;
  if (profiles?.status === 200 && Array.isArray(profiles.body)) {
    const active = new Set(state.servers.map((s) => s.id));
    state.stopped = profiles.body
      .map((p) => ({
        id: Number(p.id),
        name: String(p.name ?? `profile ${p.id}`),
        port: typeof p.port === "number" ? p.port : null,
      }))
      .filter((p: MenuProfile) => !active.has(p.id));
  }
  return state;
}

async function startOrStop(action: "start" | "stop", args: string[], url?: string): Promise<ExitCode> {
  const id = args[0];
  if (!id || !/^\d+$/.test(id)) {
    throw usageError(`Which profile? Pass its id: mlx-manager menubar ${action} <id>`, "menubar");
  }
  const { client, token } = await resolveTarget({ url }, "menubar");
  if (!token) throw new CliError('Not signed in: run "mlx-manager login"', EXIT.unauthorized);
  await client.post(`/api/servers/${id}/${action}`);
  print(action === "start" ? `Starting profile ${id}` : `Stopped profile ${id}`);
  return EXIT.ok;
}

/** Runs `menubar`. */
export async function menubar(argv: string[]): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: "string" },
      url: { type: "string" },
      interval: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined) {
    print(MENUBAR_HELP.trimEnd());
    return values.help ? EXIT.ok : EXIT.usage;
  }
  if (sub === "render") {
    Deno.stdout.writeSync(new TextEncoder().encode(renderMenu(await menuState({ url: values.url }))));
    return EXIT.ok;
  }
  if (sub === "start" || sub === "stop") return await startOrStop(sub, rest, values.url);
  if (sub === "install") {
    const config = commandConfig();
    const interval = values.interval ?? "10";
    if (!/^\d+$/.test(interval) || Number(interval) < 1) {
      throw usageError(`--interval must be a whole number of seconds, not "${interval}"`, "menubar");
    }
    const dir = values.dir ?? await findPluginDir(config.home, new DenoCommandRunner(), Deno.build.os);
    const url = values.url ? parseUrl(values.url, "menubar") : serverUrl(config.host, config.port);
    const path = await installPlugin({ config, dir, url, intervalSeconds: Number(interval) });
    print(`Wrote ${path}`);
    print('Sign in once with "mlx-manager login" so the menu can list and control servers');
    return EXIT.ok;
  }
  throw usageError(`Unknown menubar command "${sub}"`, "menubar");
}
