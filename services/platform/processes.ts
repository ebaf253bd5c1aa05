/**
 * Processes as `ps` shows them, through the one command runner: CPU and
 * memory of process trees from one `ps` call for all of them (children
 * included: a model server may run its model in a child process), and the
 * command line of one process.
 *
 * @module
 */
import type { CommandRunner } from "./runner.ts";

// `ps` prints decimals and column layout by locale: pin it.
const PS_ENV = { LC_ALL: "C" };

/** One process as `ps` lists it. */
export interface ProcessRow {
  pid: number;
  ppid: number;
  /** Resident memory in bytes. */
  rss: number;
  /** CPU use in percent of one core, as `ps` computes it. */
  cpu: number;
}

/** The summed use of a process and its descendants. */
export interface TreeUsage {
  cpuPercent: number;
  rssBytes: number;
  processes: number;
  /** The pids of the direct children (a 1.8 model server's model processes). */
  children: number[];
}

/**
 * Parses `ps -A -o pid=,ppid=,rss=,%cpu=,stat=` output; zombies are left out.
 *
 * @example
 * ```ts
 * parsePs("  42     1  2048  3.5 S\n"); // [{ pid: 42, ppid: 1, rss: 2097152, cpu: 3.5 }]
 * ```
 */
export function parsePs(text: string): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const line of text.split("\n")) {
    const [pid, ppid, rss, cpu, stat] = line.trim().split(/\s+/);
    if (!stat || stat.startsWith("Z")) continue;
    const row = {
      pid: Number(pid),
      ppid: Number(ppid),
      rss: Number(rss) * 1024,
      cpu: Number(cpu.replace(",", ".")),
    };
    if (Number.isInteger(row.pid) && Number.isFinite(row.rss) && Number.isFinite(row.cpu)) rows.push(row);
  }
  return rows;
}

/**
 * Sums CPU and memory over the tree rooted at each of `roots`; a root that is
 * not running is missing from the result.
 *
 * @example
 * ```ts
 * treeUsage(rows, [42]).get(42); // { cpuPercent: 12.5, rssBytes: 734003200, processes: 2, children: [43] }
 * ```
 */
export function treeUsage(rows: ProcessRow[], roots: number[]): Map<number, TreeUsage> {
  const children = new Map<number, ProcessRow[]>();
  const byPid = new Map<number, ProcessRow>();
  for (const row of rows) {
    byPid.set(row.pid, row);
    const list = children.get(row.ppid);
    if (list) list.push(row);
    else children.set(row.ppid, [row]);
  }
  const result = new Map<number, TreeUsage>();
  for (const root of roots) {
    const top = byPid.get(root);
    if (!top) continue;
    const usage: TreeUsage = { cpuPercent: 0, rssBytes: 0, processes: 0, children: [] };
    const stack = [top];
    const seen = new Set<number>();
    while (stack.length) {
      const row = stack.pop()!;
      if (seen.has(row.pid)) continue;
      seen.add(row.pid);
      usage.cpuPercent += row.cpu;
      usage.rssBytes += row.rss;
      usage.processes++;
      if (row.ppid === root && row.pid !== root) usage.children.push(row.pid);
      stack.push(...(children.get(row.pid) ?? []));
    }
    usage.cpuPercent = Math.round(usage.cpuPercent * 10) / 10;
    result.set(root, usage);
  }
  return result;
}

/** The `ps` arguments of {@link sampleProcesses}, for recorded-output tests. */
export const PS_SAMPLE_ARGS = ["-A", "-o", "pid=,ppid=,rss=,%cpu=,stat="];

/**
 * Lists every process of the machine with one `ps` call (empty when it fails).
 *
 * @example
 * ```ts
 * const usage = treeUsage(await sampleProcesses(runner), [server.pid]);
 * ```
 */
export async function sampleProcesses(runner: CommandRunner): Promise<ProcessRow[]> {
  const out = await runner.run("ps", PS_SAMPLE_ARGS, { timeoutMs: 10_000, env: PS_ENV });
  return out.code === 0 ? parsePs(out.stdout) : [];
}

/**
 * The full command line of a process as `ps` shows it, or null when it is gone.
 *
 * @example
 * ```ts
 * await commandLine(runner, Deno.pid); // "deno run -A main.ts serve"
 * ```
 */
export async function commandLine(runner: CommandRunner, pid: number): Promise<string | null> {
  const out = await runner.run("ps", ["-ww", "-o", "args=", "-p", String(pid)], {
    timeoutMs: 10_000,
    env: PS_ENV,
  });
  const line = out.stdout.trim();
  return out.code === 0 && line ? line : null;
}
