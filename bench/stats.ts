/**
 * What every benchmark shares: paired alternating rounds, the median of the
 * paired ratios, min/median/max summaries, and the CPU time and memory of a
 * process (the manager, the fake server, the fake hub), so numbers can be
 * trusted on a noisy machine.
 *
 * @module
 */
import process from "node:process";

/** Min, median and max of a sample. */
export interface Summary {
  min: number;
  median: number;
  max: number;
  n: number;
}

/** The min, median and max of `values` (NaN for an empty sample). */
export function summarize(values: number[]): Summary {
  if (values.length === 0) return { min: NaN, median: NaN, max: NaN, n: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1], n: sorted.length };
}

/** The `p`th percentile (nearest rank) of `values`. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Formats a summary as `min / median / max` with `digits` decimals and a unit. */
export function formatSummary(s: Summary, unit = "", digits = 2): string {
  const f = (x: number) => x.toFixed(digits);
  return `min ${f(s.min)} / median ${f(s.median)} / max ${f(s.max)}${unit ? ` ${unit}` : ""} (n=${s.n})`;
}

/** The result of {@link pairedRounds}: each side's values and the per-round ratios and differences. */
export interface Paired<T> {
  a: T[];
  b: T[];
}

/**
 * Runs `a` and `b` alternately for `rounds` rounds, swapping which goes first
 * each round, so drift of the machine (another process, thermal state) falls
 * on both sides alike. Compare with {@link pairedRatio} and {@link pairedDiff}.
 *
 * @example
 * ```ts
 * const { a, b } = await pairedRounds(7, () => direct(), () => throughManager());
 * pairedRatio(a, b, (r) => r.rate); // median of b/a over the rounds
 * ```
 */
export async function pairedRounds<T>(
  rounds: number,
  a: () => Promise<T>,
  b: () => Promise<T>,
): Promise<Paired<T>> {
  const out: Paired<T> = { a: [], b: [] };
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      out.a.push(await a());
      out.b.push(await b());
    } else {
      out.b.push(await b());
      out.a.push(await a());
    }
  }
  return out;
}

/** The summary of the per-round ratios `pick(b[i]) / pick(a[i])`. */
export function pairedRatio<T>(a: T[], b: T[], pick: (x: T) => number): Summary {
  return summarize(a.map((x, i) => pick(b[i]) / pick(x)));
}

/** The summary of the per-round differences `pick(b[i]) − pick(a[i])`. */
export function pairedDiff<T>(a: T[], b: T[], pick: (x: T) => number): Summary {
  return summarize(a.map((x, i) => pick(b[i]) - pick(x)));
}

/** CPU seconds (user + system) a process has used: /proc on Linux, `ps -o time` elsewhere. */
export async function cpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    const out = await new Deno.Command("ps", { args: ["-o", "time=", "-p", String(pid)] }).output();
    const parts = new TextDecoder().decode(out.stdout).trim().split(/[-:]/).map(Number);
    return parts.reduce((total, part) => total * 60 + part, 0);
  }
}

/** Resident set size of a process in bytes: /proc on Linux, `ps` elsewhere. */
export async function rssBytes(pid: number): Promise<number> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) * 1024;
  } catch {
    const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)] }).output();
    return (Number(new TextDecoder().decode(out.stdout).trim()) || 0) * 1024;
  }
}

/** CPU seconds this very process has used (user + system). */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Prints a line of benchmark output. */
export function report(line: string): void {
  // deno-lint-ignore no-console
  console.log(line);
}
