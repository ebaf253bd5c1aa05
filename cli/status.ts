/**
 * `mlx-manager status`: the model servers and memory of a running manager,
 * through its API.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { formatBytes, formatDuration } from "../lib/format.ts";
import { CliError, EXIT, type ExitCode, print } from "./io.ts";
import { resolveTarget } from "./target.ts";

/** Help of `status`. */
export const STATUS_HELP = `Usage: mlx-manager status [options]

List the model servers of a running MLX Manager, with memory in use.

Options:
      --url <url>     The manager (default: the one "login" saved, else
                      http://MLX_MANAGER_HOST:MLX_MANAGER_PORT)
      --token <t>     A session token (default: the one "login" saved)
      --json          Print JSON instead of a table
  -h, --help          Print this help

Exit codes: 0 ok, 1 failure, 2 usage, 3 not reachable, 4 not signed in
`;

/** One server as `status` shows it; the API's fields, read tolerantly. */
export interface ServerSummary {
  id: number;
  name: string;
  port: number | null;
  state: string;
  health: string | null;
  pid: number | null;
  memoryBytes: number | null;
  uptimeSeconds: number | null;
  managedBy: string | null;
}

/** Reads a server entry of `GET /api/servers`. */
export function summarize(entry: Record<string, unknown>): ServerSummary {
  const num = (...keys: string[]) => {
    for (const key of keys) if (typeof entry[key] === "number") return entry[key] as number;
    return null;
  };
  const str = (...keys: string[]) => {
    for (const key of keys) if (typeof entry[key] === "string") return entry[key] as string;
    return null;
  };
  const memoryMb = num("memory_mb");
  return {
    id: num("profile_id", "id") ?? 0,
    name: str("profile_name", "name") ?? `profile ${num("profile_id", "id")}`,
    port: num("port"),
    state: str("state", "status") ?? "unknown",
    health: str("health", "health_status"),
    pid: num("pid"),
    memoryBytes: num("memory_bytes") ?? (memoryMb === null ? null : memoryMb * 1024 * 1024),
    uptimeSeconds: num("uptime_seconds", "uptime"),
    managedBy: str("managed_by"),
  };
}

/** Lays rows out in aligned columns. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd())
    .join("\n");
}

/** The table `status` prints. */
export function serversTable(servers: ServerSummary[]): string {
  return table(
    ["ID", "NAME", "PORT", "STATE", "HEALTH", "PID", "MEMORY", "UPTIME"],
    servers.map((s) => [
      String(s.id),
      s.name,
      s.port === null ? "—" : String(s.port),
      s.managedBy && s.managedBy !== "manager" ? `${s.state} (${s.managedBy})` : s.state,
      s.health ?? "—",
      s.pid === null ? "—" : String(s.pid),
      formatBytes(s.memoryBytes),
      formatDuration(s.uptimeSeconds),
    ]),
  );
}

/** Runs `status`. */
export async function status(argv: string[]): Promise<ExitCode> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      token: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    print(STATUS_HELP.trimEnd());
    return EXIT.ok;
  }
  const { client, token, url } = await resolveTarget(values, "status");
  await client.ensureReachable();
  if (!token) {
    throw new CliError(
      `Not signed in to ${url}: run "mlx-manager login" or pass --token`,
      EXIT.unauthorized,
    );
  }
  const [list, memory] = await Promise.all([
    client.get<Record<string, unknown>[]>("/api/servers"),
    client.get<{ used_gb: number; total_gb: number; percent_used: number }>("/api/system/memory"),
  ]);
  if (!Array.isArray(list)) throw new CliError(`Unexpected answer from ${url}/api/servers`);
  const servers = list.map(summarize);
  if (values.json) {
    print(JSON.stringify({ url, servers: list, memory }, null, 2));
    return EXIT.ok;
  }
  print(`MLX Manager at ${url}`);
  print(
    `Memory: ${memory.used_gb.toFixed(1)} of ${
      memory.total_gb.toFixed(1)
    } GB in use (${memory.percent_used}%)`,
  );
  print();
  print(servers.length ? serversTable(servers) : "No servers running");
  return EXIT.ok;
}
