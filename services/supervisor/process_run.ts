/**
 * One run of a model-server process, spawned or adopted: its pid, the promise
 * of its end, and stopping it (SIGTERM to the group, SIGKILL after a grace
 * period). It holds no status: the server reads what it needs from the exit.
 *
 * @module
 */
import { isAlive, signalGroup, spawnInGroup, type SpawnSpec, waitForGroupExit } from "./process.ts";

/** How a run ended; both null when an adopted process ended (its status cannot be read). */
export interface RunExit {
  code: number | null;
  signal: string | null;
}

/** Waits for `promise` at most `ms`; true when it settled in time. The timer never outlives the wait. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), ms));
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A process the supervisor runs.
 *
 * @example
 * ```ts
 * const run = ProcessRun.spawn(command, logPath, dataDir);
 * await run.terminate({ graceSeconds: 10 });
 * (await run.exited).signal; // null: it ended on SIGTERM by itself
 * ```
 */
export class ProcessRun {
  readonly pid: number;
  /** Resolves once the process and the rest of its group are gone. */
  readonly exited: Promise<RunExit>;
  readonly #child: Deno.ChildProcess | null;
  #poll: ReturnType<typeof setInterval> | undefined;
  #pollExit: ((exit: RunExit) => void) | null = null;
  /** SIGKILL went to the whole group. */
  #killed = false;

  /**
   * Use {@link ProcessRun.spawn} or {@link ProcessRun.adopt}; `note` hears
   * that processes of the group outlived the server and were ended.
   */
  constructor(pid: number, child: Deno.ChildProcess | null, note: (text: string) => void = () => {}) {
    this.pid = pid;
    this.#child = child;
    const ended = child
      ? child.status.then((s) => ({ code: s.signal ? null : s.code, signal: s.signal ?? null }))
      : new Promise<RunExit>((resolve) => {
        this.#pollExit = resolve;
        this.#watch(250);
      });
    this.exited = ended.then(async (exit) => {
      clearInterval(this.#poll);
      // Children left in the group (a model subprocess) get a moment to end, then SIGKILL;
      // after a SIGKILL to the whole group they are only being reaped.
      if (this.#killed) await waitForGroupExit(pid, 2000);
      else if (isAlive(-pid)) {
        note(`Processes of the server's group outlived it (a model process): sending them SIGTERM`);
        signalGroup(pid, "SIGTERM");
        if (!await waitForGroupExit(pid, 2000)) {
          note("Processes of the server's group were still running 2 s after SIGTERM: sent SIGKILL");
          signalGroup(pid, "SIGKILL");
          await waitForGroupExit(pid, 2000);
        }
      }
      return exit;
    });
  }

  /** Starts `spec` in its own process group, its output appended to `logPath`. */
  static spawn(spec: SpawnSpec, logPath: string, cwd: string, note?: (text: string) => void): ProcessRun {
    const child = spawnInGroup(spec, logPath, cwd);
    return new ProcessRun(child.pid, child, note);
  }

  /** Takes over a process an earlier manager started: it cannot be awaited, so it is polled. */
  static adopt(pid: number, note?: (text: string) => void): ProcessRun {
    return new ProcessRun(pid, null, note);
  }

  /**
   * Whether the process is gone, checked now rather than at the next poll: a
   * process the manager did not spawn is only polled, and one killed by
   * someone else must not take a request in the meantime. True when it has
   * ended (its `exited` then settles).
   */
  checkNow(): boolean {
    if (this.#child || !this.#pollExit || isAlive(this.pid)) return false;
    this.#pollExit({ code: null, signal: null });
    return true;
  }

  // A process the manager did not spawn cannot be awaited: poll whether it exists.
  #watch(ms: number): void {
    clearInterval(this.#poll);
    this.#poll = setInterval(() => {
      if (!isAlive(this.pid)) this.#pollExit?.({ code: null, signal: null });
    }, ms);
  }

  /**
   * SIGTERM to the group (SIGKILL at once with `force`), SIGKILL after
   * `graceSeconds`; resolves once the process is gone. `note` hears each step.
   */
  async terminate(
    options: { force?: boolean; graceSeconds: number; note?: (text: string) => void },
  ): Promise<void> {
    const note = options.note ?? (() => {});
    note(options.force ? "Stopping (SIGKILL)" : "Stopping (SIGTERM)");
    if (options.force) this.#killed = true;
    signalGroup(this.pid, options.force ? "SIGKILL" : "SIGTERM");
    if (!this.#child) this.#watch(50);
    if (await within(this.exited, options.graceSeconds * 1000)) return;
    note(`Still running ${options.graceSeconds} s after SIGTERM: sending SIGKILL`);
    this.#killed = true;
    signalGroup(this.pid, "SIGKILL");
    await this.exited;
  }

  /** SIGKILL to the group now. */
  kill(): void {
    this.#killed = true;
    signalGroup(this.pid, "SIGKILL");
  }

  /** Lets go without stopping it (a later manager adopts it). */
  release(): void {
    clearInterval(this.#poll);
    this.#pollExit = null;
    this.#child?.unref();
  }
}
