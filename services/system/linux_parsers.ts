/**
 * Parsers for the Linux files the system view reads: `/proc/meminfo` and
 * `/etc/os-release`. Pure functions over text.
 *
 * @module
 */

/** The figures of `/proc/meminfo` the system view uses, in bytes. */
export interface MemInfo {
  total: number;
  available: number;
  swapTotal: number;
  swapFree: number;
}

/**
 * Parses `/proc/meminfo` (values in kB). Kernels before 3.14 have no
 * `MemAvailable`; free + buffers + cache stands in for it.
 *
 * @example
 * ```ts
 * parseMeminfo("MemTotal: 1024 kB\nMemAvailable: 512 kB\n")?.available; // 524288
 * ```
 */
export function parseMeminfo(text: string): MemInfo | null {
  const kb = new Map<string, number>();
  for (const match of text.matchAll(/^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?$/gm)) {
    kb.set(match[1], Number(match[2]) * 1024);
  }
  const total = kb.get("MemTotal");
  if (total === undefined) return null;
  const available = kb.get("MemAvailable") ??
    (kb.get("MemFree") ?? 0) + (kb.get("Buffers") ?? 0) + (kb.get("Cached") ?? 0);
  return {
    total,
    available: Math.min(total, available),
    swapTotal: kb.get("SwapTotal") ?? 0,
    swapFree: kb.get("SwapFree") ?? 0,
  };
}

/**
 * The distribution's name from `/etc/os-release`: `PRETTY_NAME`, else `NAME VERSION`.
 *
 * @example
 * ```ts
 * parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'); // "Debian GNU/Linux 12 (bookworm)"
 * ```
 */
export function parseOsRelease(text: string): string | null {
  const fields = new Map<string, string>();
  for (const match of text.matchAll(/^([A-Z_]+)=(.*)$/gm)) {
    fields.set(match[1], match[2].trim().replace(/^(["'])(.*)\1$/, "$2").replace(/\\(.)/g, "$1"));
  }
  const pretty = fields.get("PRETTY_NAME");
  if (pretty) return pretty;
  const name = fields.get("NAME");
  if (!name) return null;
  const version = fields.get("VERSION");
  return version ? `${name} ${version}` : name;
}
