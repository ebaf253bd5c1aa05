/**
 * Parsers for the macOS commands the system view reads: `sw_vers`, `sysctl`,
 * `vm_stat`, `memory_pressure` and `ioreg`. Pure functions over text, tested
 * on recorded output; a missing or garbled field gives `null`, never a throw.
 *
 * @module
 */

/** Memory pressure as the kernel reports it. */
export type PressureLevel = "normal" | "warn" | "critical";

/**
 * Parses `sw_vers` into a display name such as "macOS 15.3.1 (24D70)".
 *
 * @example
 * ```ts
 * parseSwVers("ProductName:\tmacOS\nProductVersion:\t15.3.1\nBuildVersion:\t24D70\n");
 * // "macOS 15.3.1 (24D70)"
 * ```
 */
export function parseSwVers(text: string): string | null {
  const field = (name: string) => text.match(new RegExp(`^${name}:\\s*(.+?)\\s*$`, "m"))?.[1] ?? null;
  const name = field("ProductName");
  const version = field("ProductVersion");
  if (!name || !version) return null;
  const build = field("BuildVersion");
  return build ? `${name} ${version} (${build})` : `${name} ${version}`;
}

/**
 * Parses `sysctl name…` output (`name: value` lines) into a map.
 *
 * @example
 * ```ts
 * parseSysctl("hw.memsize: 68719476736\n").get("hw.memsize"); // "68719476736"
 * ```
 */
export function parseSysctl(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = line.match(/^([\w.]+):\s?(.*)$/);
    if (match) values.set(match[1], match[2].trim());
  }
  return values;
}

/** A whole non-negative number from text, or null. */
export function toCount(value: string | undefined | null): number | null {
  if (value === undefined || value === null || !/^\s*\d+\s*$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

const MEGABYTE = 1024 * 1024;

/**
 * Parses the value of `vm.swapusage` ("total = 2048.00M  used = 1123.25M …") into bytes.
 *
 * @example
 * ```ts
 * parseSwapUsage("total = 2048.00M  used = 1024.00M  free = 1024.00M  (encrypted)");
 * // { total: 2147483648, used: 1073741824 }
 * ```
 */
export function parseSwapUsage(value: string | undefined): { total: number; used: number } | null {
  if (!value) return null;
  const amount = (name: string) => {
    const match = value.match(new RegExp(`${name}\\s*=\\s*([\\d.]+)([KMG])`));
    if (!match) return null;
    const scale = { K: 1024, M: MEGABYTE, G: 1024 * MEGABYTE }[match[2] as "K" | "M" | "G"];
    return Math.round(Number(match[1]) * scale);
  };
  const total = amount("total");
  const used = amount("used");
  return total === null || used === null ? null : { total, used };
}

/** Maps `kern.memorystatus_vm_pressure_level` (1, 2, 4) to a level. */
export function pressureLevel(value: string | undefined): PressureLevel | null {
  return ({ "1": "normal", "2": "warn", "4": "critical" } as Record<string, PressureLevel>)[value ?? ""] ??
    null;
}

/** Page counts from `vm_stat`, keyed by their label without the colon. */
export interface VmStat {
  pageSize: number;
  pages: Map<string, number>;
}

/**
 * Parses `vm_stat`.
 *
 * @example
 * ```ts
 * const vm = parseVmStat(await Deno.readTextFile("tests/fixtures/macos/vm_stat.txt"))!;
 * vm.pageSize; // 16384
 * vm.pages.get("Pages free"); // 83112
 * ```
 */
export function parseVmStat(text: string): VmStat | null {
  const pageSize = toCount(text.match(/page size of (\d+) bytes/)?.[1]);
  if (pageSize === null) return null;
  const pages = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = line.match(/^"?([^":]+)"?:\s+(\d+)\.?\s*$/);
    const count = toCount(match?.[2]);
    if (match && count !== null) pages.set(match[1].trim(), count);
  }
  return { pageSize, pages };
}

/**
 * Memory in use as Activity Monitor counts it: app memory (anonymous pages
 * less purgeable ones), wired memory and the compressor. Older systems
 * without the anonymous-page count fall back to everything but free,
 * inactive and speculative pages.
 */
export function usedFromVmStat(vm: VmStat, total: number): number | null {
  const page = (name: string) => vm.pages.get(name);
  const wired = page("Pages wired down");
  const compressed = page("Pages occupied by compressor") ?? 0;
  if (wired === undefined) return null;
  const anonymous = page("Anonymous pages");
  if (anonymous !== undefined) {
    const app = Math.max(0, anonymous - (page("Pages purgeable") ?? 0));
    return Math.min(total, (app + wired + compressed) * vm.pageSize);
  }
  const free = page("Pages free");
  const inactive = page("Pages inactive");
  if (free === undefined || inactive === undefined) return null;
  const available = (free + inactive + (page("Pages speculative") ?? 0)) * vm.pageSize;
  return Math.max(0, total - available);
}

/**
 * Reads "System-wide memory free percentage: N%" from `memory_pressure`.
 *
 * @example
 * ```ts
 * parseMemoryPressure("System-wide memory free percentage: 36%\n"); // 36
 * ```
 */
export function parseMemoryPressure(text: string): number | null {
  return toCount(text.match(/memory free percentage:\s*(\d+)%/)?.[1]);
}

/** GPU figures from the accelerator's `PerformanceStatistics`. */
export interface GpuStats {
  /** "Device Utilization %", 0–100. */
  utilization: number | null;
  /** "In use system memory", bytes. */
  memoryInUse: number | null;
  /** "Alloc system memory", bytes. */
  memoryAllocated: number | null;
  /** "gpu-core-count". */
  cores: number | null;
}

/** The `"key"=value` pairs of a flat ioreg dictionary such as `{"a"=1,"b"=2}`. */
function ioregDictionary(body: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const match of body.matchAll(/"([^"]+)"=([^,{}()]*)/g)) entries.set(match[1], match[2].trim());
  return entries;
}

/**
 * Parses `ioreg -r -d 1 -w 0 -c IOAccelerator`. With several accelerators the
 * busiest utilization and the sum of memory are reported. Returns null when
 * no accelerator publishes statistics.
 *
 * @example
 * ```ts
 * parseIoregGpu(await Deno.readTextFile("tests/fixtures/macos/ioreg_gpu_busy.txt"))?.utilization; // 87
 * ```
 */
export function parseIoregGpu(text: string): GpuStats | null {
  const lines = [...text.matchAll(/^\s*"PerformanceStatistics" = \{(.*)\}\s*$/gm)].map((m) => m[1]);
  if (lines.length === 0) return null;
  const stats = lines.map(ioregDictionary);
  const numbers = (key: string) =>
    stats.map((s) => toCount(s.get(key))).filter((n): n is number => n !== null);
  const max = (values: number[]) => values.length ? Math.min(100, Math.max(...values)) : null;
  const sum = (values: number[]) => values.length ? values.reduce((a, b) => a + b, 0) : null;
  const cores = [...text.matchAll(/^\s*"gpu-core-count" = (\d+)\s*$/gm)].map((m) => Number(m[1]));
  return {
    utilization: max(numbers("Device Utilization %")),
    memoryInUse: sum(numbers("In use system memory")),
    memoryAllocated: sum(numbers("Alloc system memory")),
    cores: sum(cores),
  };
}
