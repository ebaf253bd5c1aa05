/**
 * The menubar plugin's output in xbar/SwiftBar format, and the plugin script
 * itself. Pure functions: the state comes from the API (see `menubar.ts`).
 *
 * Format: the first line is the title, `---` separates sections, a `--`
 * prefix makes a submenu item, and `| key=value …` adds actions (`href`
 * opens a URL, `bash`+`paramN` runs a program, `refresh` reloads the plugin).
 *
 * @module
 */
import type { SelfCommand } from "../services/launchd/manager_job.ts";
import type { ServerSummary } from "./status.ts";

/** A profile that can be started from the menu. */
export interface MenuProfile {
  id: number;
  name: string;
  port: number | null;
}

/** Everything the menu shows. */
export interface MenuState {
  url: string;
  version: string;
  reachable: boolean;
  signedIn: boolean;
  /** Why something is missing, shown greyed. */
  problem: string | null;
  memory: { used_gb: number; total_gb: number; percent_used: number } | null;
  gpuPercent: number | null;
  servers: ServerSummary[];
  /** Profiles without a running server. */
  stopped: MenuProfile[];
  /** How the menu runs this program's commands. */
  self: SelfCommand;
  /** `launchctl kickstart` target of the installed manager service, when there is one. */
  serviceTarget: string | null;
}

/** Text safe for a menu line: no `|` (the action separator), no newline, no leading `-`. */
export function menuText(text: string): string {
  return text.replace(/\|/g, "¦").replace(/[\r\n]+/g, " ").replace(
    /^-+/,
    (dashes) => "‐".repeat(dashes.length),
  );
}

/** One `key=value` action parameter, quoted when needed. */
export function param(key: string, value: string): string {
  return /[\s"'\\|]/.test(value) || value === ""
    ? `${key}="${value.replace(/(["\\])/g, "\\$1")}"`
    : `${key}=${value}`;
}

/** The action that runs this program with `args`, in the background, then refreshes the menu. */
export function runAction(self: SelfCommand, args: string[], options: { terminal?: boolean } = {}): string {
  const params = [...self.args, ...args].map((arg, i) => param(`param${i + 1}`, arg));
  return [param("bash", self.program), ...params, `terminal=${options.terminal ?? false}`, "refresh=true"]
    .join(" ");
}

const STATE_COLOR: Record<string, string> = {
  running: "green",
  starting: "orange",
  stopping: "orange",
  failed: "red",
  crashed: "red",
};

function title(state: MenuState): string {
  if (!state.reachable) return "MLX ○";
  if (!state.signedIn) return "MLX ◐";
  const running = state.servers.filter((s) => s.state === "running" || s.state === "starting").length;
  return running ? `MLX ● ${running}` : "MLX ●";
}

function serverLines(state: MenuState): string[] {
  const lines: string[] = [];
  for (const server of state.servers) {
    const port = server.port === null ? "" : ` :${server.port}`;
    const via = server.managedBy && server.managedBy !== "manager" ? ` (${server.managedBy})` : "";
    const color = STATE_COLOR[server.state];
    lines.push(`${menuText(server.name)}${port} — ${server.state}${via}${color ? ` | color=${color}` : ""}`);
    lines.push(`--Stop | ${runAction(state.self, ["menubar", "stop", String(server.id)])}`);
    lines.push(`--Open dashboard | ${param("href", `${state.url}/servers`)}`);
  }
  if (state.stopped.length) {
    lines.push("Start a profile");
    for (const profile of state.stopped) {
      const port = profile.port === null ? "" : ` :${profile.port}`;
      lines.push(
        `--${menuText(profile.name)}${port} | ${
          runAction(state.self, ["menubar", "start", String(profile.id)])
        }`,
      );
    }
  }
  if (!state.servers.length && !state.stopped.length) lines.push("No servers running | color=gray");
  return lines;
}

/**
 * Renders the menu.
 *
 * @example
 * ```ts
 * renderMenu(state).split("\n")[0]; // "MLX ● 2"
 * ```
 */
export function renderMenu(state: MenuState): string {
  const lines = [title(state), "---"];
  if (!state.reachable) {
    lines.push(`MLX Manager is not running at ${menuText(state.url)} | color=gray`);
    if (state.serviceTarget) {
      lines.push(
        `Start MLX Manager | ${param("bash", "/bin/launchctl")} param1=kickstart ${
          param("param2", state.serviceTarget)
        } terminal=false refresh=true`,
      );
    } else {
      lines.push("Start it with: mlx-manager serve | color=gray");
    }
  } else {
    lines.push(`MLX Manager ${menuText(state.version)} | ${param("href", state.url)}`);
    if (state.memory) {
      const m = state.memory;
      lines.push(
        `Memory ${m.used_gb.toFixed(1)} of ${m.total_gb.toFixed(1)} GB (${Math.round(m.percent_used)}%)`,
      );
    }
    if (state.gpuPercent !== null) lines.push(`GPU ${state.gpuPercent}% busy`);
    lines.push("---");
    if (!state.signedIn) {
      lines.push("Not signed in | color=orange");
      lines.push(`Sign in… | ${runAction(state.self, ["login", "--url", state.url], { terminal: true })}`);
    } else lines.push(...serverLines(state));
  }
  if (state.problem) lines.push(`${menuText(state.problem)} | color=gray`);
  lines.push("---");
  lines.push(`Open MLX Manager | ${param("href", state.url)}`);
  lines.push("Refresh | refresh=true");
  return `${lines.join("\n")}\n`;
}

/** Quotes a word for `/bin/sh`. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The plugin script: metadata for xbar and SwiftBar, then `exec` of
 * `mlx-manager menubar render`, so all logic stays in MLX Manager.
 *
 * @example
 * ```ts
 * pluginScript({ self, dataDir: "/Users/ada/.mlx-manager", url: "http://127.0.0.1:8080", version: "0.1.0" });
 * ```
 */
export function pluginScript(
  options: { self: SelfCommand; dataDir: string; url: string; version: string },
): string {
  const command = [options.self.program, ...options.self.args, "menubar", "render", "--url", options.url]
    .map(shellQuote).join(" ");
  return `#!/bin/sh
# <xbar.title>MLX Manager</xbar.title>
# <xbar.version>${options.version}</xbar.version>
# <xbar.author>MLX Manager</xbar.author>
# <xbar.desc>Running MLX model servers and memory; start and stop profiles, open the app.</xbar.desc>
# <xbar.dependencies>mlx-manager</xbar.dependencies>
# <swiftbar.hideRunInTerminal>true</swiftbar.hideRunInTerminal>
# <swiftbar.hideDisablePlugin>true</swiftbar.hideDisablePlugin>
#
# Written by "mlx-manager menubar install": run it again after moving MLX Manager.
export MLX_MANAGER_DATA_DIR=${shellQuote(options.dataDir)}
exec ${command}
`;
}
