/**
 * The process's limit of open files (`RLIMIT_NOFILE`), which bounds how many
 * connections the web server may hold: read at start, and the soft limit
 * raised to the hard one where the system allows (macOS starts processes at
 * 256). Deno has no `setrlimit`, so libc's `getrlimit`/`setrlimit` are called
 * through FFI; without FFI (no permission, no libc) the limit is read from
 * `/proc/self/limits` or the shell's `ulimit`, and left as it is.
 *
 * @module
 */

/** The open-file limit, as found. */
export interface OpenFileLimit {
  /** The soft limit: the most descriptors this process may hold now. */
  soft: number;
  /** The hard limit, or null when unlimited or unknown. */
  hard: number | null;
  /** Whether the soft limit was raised here. */
  raised: boolean;
  /** Where the figure came from. */
  source: "libc" | "proc" | "ulimit" | "none";
}

/** What getrlimit/setrlimit look like from here. */
export interface RlimitCalls {
  /** [soft, hard] as 64-bit values, or null when the call failed. */
  get(): [bigint, bigint] | null;
  /** Whether the call succeeded. */
  set(soft: bigint, hard: bigint): boolean;
  close(): void;
}

/** `RLIMIT_NOFILE` and `RLIM_INFINITY` of each system. */
const RLIMIT = {
  linux: { nofile: 7, infinity: 0xffff_ffff_ffff_ffffn, libc: "libc.so.6" },
  darwin: { nofile: 8, infinity: 0x7fff_ffff_ffff_ffffn, libc: "/usr/lib/libSystem.B.dylib" },
} as const;

/** getrlimit/setrlimit of libc through FFI, or null where FFI or libc is not available. */
export function libcRlimit(os: string = Deno.build.os): RlimitCalls | null {
  if (os !== "linux" && os !== "darwin") return null;
  const { nofile, libc } = RLIMIT[os];
  try {
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return null;
    const lib = Deno.dlopen(libc, {
      getrlimit: { parameters: ["i32", "buffer"], result: "i32" },
      setrlimit: { parameters: ["i32", "buffer"], result: "i32" },
    });
    // struct rlimit is two 64-bit values (rlim_cur, rlim_max) on both systems.
    const buffer = new BigUint64Array(2);
    const bytes = new Uint8Array(buffer.buffer);
    return {
      get: () => lib.symbols.getrlimit(nofile, bytes) === 0 ? [buffer[0], buffer[1]] : null,
      set: (soft, hard) => {
        buffer[0] = soft;
        buffer[1] = hard;
        return lib.symbols.setrlimit(nofile, bytes) === 0;
      },
      close: () => lib.close(),
    };
  } catch {
    return null;
  }
}

function toLimit(value: bigint, infinity: bigint): number | null {
  return value >= infinity ? null : Number(value);
}

/**
 * Raises the soft limit as far as the system allows (the hard limit, or on
 * macOS with an unlimited hard limit the largest value it accepts), and
 * returns the limits then in force.
 *
 * @example
 * ```ts
 * const limit = raiseOpenFileLimit(libcRlimit());
 * limit.soft; // e.g. 10240 on macOS after starting at 256
 * ```
 */
export function raiseOpenFileLimit(
  calls: RlimitCalls | null,
  os: string = Deno.build.os,
): OpenFileLimit | null {
  if (!calls || (os !== "linux" && os !== "darwin")) return null;
  const { infinity } = RLIMIT[os];
  const now = calls.get();
  if (!now) return null;
  const [soft, hard] = now;
  if (soft >= hard) {
    return { soft: Number(soft), hard: toLimit(hard, infinity), raised: false, source: "libc" };
  }
  const result = (value: bigint, raised: boolean): OpenFileLimit => ({
    soft: Number(value),
    hard: toLimit(hard, infinity),
    raised,
    source: "libc",
  });
  // An unlimited hard limit is not a value macOS takes for the soft one (it caps it at
  // kern.maxfilesperproc): find the largest it takes, as Deno itself does.
  const target = hard >= infinity ? 1n << 20n : hard;
  if (calls.set(target, hard)) return result(target, true);
  let low = soft;
  let high = target;
  while (high - low > 1n) {
    const middle = (low + high) / 2n;
    if (calls.set(middle, hard)) low = middle;
    else high = middle;
  }
  return result(low, low > soft);
}

/** The "Max open files" line of `/proc/self/limits` (Linux). */
export function parseProcLimits(text: string): { soft: number; hard: number | null } | null {
  const match = text.match(/^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m);
  if (!match || match[1] === "unlimited") return null;
  return { soft: Number(match[1]), hard: match[2] === "unlimited" ? null : Number(match[2]) };
}

/** Reads the limits without changing them: `/proc/self/limits`, else `ulimit -Sn`/`-Hn` in a shell. */
export async function readOpenFileLimit(): Promise<OpenFileLimit> {
  try {
    const parsed = parseProcLimits(await Deno.readTextFile("/proc/self/limits"));
    if (parsed) return { ...parsed, raised: false, source: "proc" };
  } catch { /* not Linux */ }
  try {
    // The shell inherits this process's limits, so it reports them.
    const out = await new Deno.Command("/bin/sh", {
      args: ["-c", "ulimit -Sn; ulimit -Hn"],
      stdout: "piped",
      stderr: "null",
    }).output();
    const [soft, hard] = new TextDecoder().decode(out.stdout).trim().split(/\s+/);
    if (/^\d+$/.test(soft)) {
      return {
        soft: Number(soft),
        hard: /^\d+$/.test(hard ?? "") ? Number(hard) : null,
        raised: false,
        source: "ulimit",
      };
    }
  } catch { /* no shell */ }
  return { soft: 256, hard: null, raised: false, source: "none" };
}

/**
 * The open-file limit at start, raised where possible: through libc when
 * FFI is allowed, else read as it is.
 */
export async function openFileLimit(): Promise<OpenFileLimit> {
  const calls = libcRlimit();
  try {
    const raised = raiseOpenFileLimit(calls);
    if (raised) return raised;
  } finally {
    calls?.close();
  }
  return await readOpenFileLimit();
}

/** File descriptors kept for everything but clients: stores, logs, model-server sockets, child processes. */
export const RESERVED_FILES = 128;

/**
 * How many client connections a limit of `soft` open files allows: what is
 * left after {@link RESERVED_FILES}, halved because a client's request to a
 * model server holds a second descriptor; at least 16, at most 4096.
 *
 * @example
 * ```ts
 * connectionLimit(256);   // 64
 * connectionLimit(10240); // 4096
 * ```
 */
export function connectionLimit(soft: number): number {
  return Math.max(16, Math.min(4096, Math.floor((soft - RESERVED_FILES) / 2)));
}
