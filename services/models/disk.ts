/**
 * Total and free disk space of the filesystem holding a folder, read from
 * `df -Pk` (POSIX output, the same on macOS and Linux). Deno has no `statfs`.
 *
 * @module
 */
import { dirname } from "node:path";

/** Space on one filesystem, in bytes. */
export interface DiskUsage {
  total: number;
  free: number;
  mount: string;
}

/** Reads the disk usage of the filesystem that holds `path`. */
export type DiskUsageReader = (path: string) => Promise<DiskUsage>;

/**
 * Parses `df -Pk` output (a header, then one line per filesystem; sizes in KiB).
 * Filesystem names and mount points may contain spaces, so the numbers are
 * found from the percentage column.
 *
 * @example
 * ```ts
 * parseDfOutput("Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/disk3s1 971350180 4000 800000 1% /\n");
 * // { total: 994662584320, free: 819200000, mount: "/" }
 * ```
 */
export function parseDfOutput(output: string): DiskUsage {
  const lines = output.trim().split("\n").slice(1).filter((l) => l.trim());
  const line = lines[lines.length - 1];
  const match = line?.match(/\s(\d+)\s+(\d+)\s+(\d+)\s+(\d+)%\s+(.+)$/);
  if (!match) {
    throw new Error(`Cannot read disk usage from df output: ${JSON.stringify(output.slice(0, 200))}`);
  }
  return { total: Number(match[1]) * 1024, free: Number(match[3]) * 1024, mount: match[5].trim() };
}

async function existingAncestor(path: string): Promise<string> {
  let current = path;
  while (true) {
    try {
      await Deno.stat(current);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

/**
 * Disk usage through `df -Pk`, for `path` or, when it does not exist yet, its
 * nearest existing parent.
 *
 * @example
 * ```ts
 * const { free } = await dfDiskUsage("/Users/me/.cache/huggingface/hub");
 * ```
 */
export const dfDiskUsage: DiskUsageReader = async (path) => {
  const target = await existingAncestor(path);
  const { success, stdout, stderr } = await new Deno.Command("df", {
    args: ["-Pk", target],
    stdout: "piped",
    stderr: "piped",
    env: { LC_ALL: "C" },
  }).output();
  const decoder = new TextDecoder();
  if (!success) throw new Error(`df failed for ${target}: ${decoder.decode(stderr).trim()}`);
  return parseDfOutput(decoder.decode(stdout));
};
