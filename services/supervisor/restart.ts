/**
 * The restart policy after a crash: exponential backoff, and no more
 * restarts once a server keeps crashing. Pure: the time is passed in.
 *
 * @module
 */

/** Crashes within {@link CRASH_WINDOW_MS} after which automatic restarts stop. */
export const MAX_CRASHES = 5;
/** The window for {@link MAX_CRASHES}. */
export const CRASH_WINDOW_MS = 10 * 60_000;
/** The first restart delay; each further crash in the window doubles it. */
export const RESTART_BASE_MS = 1000;

/**
 * The restart policy after a crash at `at`: exponential backoff from
 * {@link RESTART_BASE_MS}, and no restart once {@link MAX_CRASHES} crashes fall
 * within {@link CRASH_WINDOW_MS}.
 *
 * @example
 * ```ts
 * restartAfterCrash([], Date.now()).delayMs; // 1000
 * restartAfterCrash([t1, t2, t3, t4], Date.now()).delayMs; // null: fifth crash in 10 minutes
 * ```
 */
export function restartAfterCrash(
  earlier: number[],
  at: number,
): { crashes: number[]; delayMs: number | null } {
  const crashes = [...earlier.filter((t) => at - t < CRASH_WINDOW_MS), at];
  if (crashes.length >= MAX_CRASHES) return { crashes, delayMs: null };
  return { crashes, delayMs: RESTART_BASE_MS * 2 ** (crashes.length - 1) };
}

/**
 * The automatic restarts of one server: the crash history and the pending
 * restart timer.
 *
 * @example
 * ```ts
 * const restarts = new CrashRestarts();
 * const delay = restarts.schedule(() => server.start({ automatic: true })); // 1000, or null: no more restarts
 * ```
 */
export class CrashRestarts {
  #crashes: number[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending restart is due (ISO), or null. */
  at: string | null = null;

  /** A start by a person or a request: the crash history starts over. */
  forget(): void {
    this.#crashes = [];
  }

  /** Schedules `restart` after the backoff; the delay, or null when it crashed too often. */
  schedule(restart: () => void, now = Date.now()): number | null {
    const { crashes, delayMs } = restartAfterCrash(this.#crashes, now);
    this.#crashes = crashes;
    if (delayMs === null) return null;
    this.at = new Date(now + delayMs).toISOString();
    this.#timer = setTimeout(() => {
      this.at = null;
      restart();
    }, delayMs);
    return delayMs;
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.at = null;
  }

  /**
   * After a crash: schedules `restart` and notes it in the log, or adds to
   * the run's `lastError` why there is no restart (it crashed too often), as
   * does a restart that fails.
   */
  afterCrash(
    restart: () => Promise<void>,
    run: { note(text: string): void; facts(): { lastError: string | null }; publish(): void },
  ): void {
    const delayMs = this.schedule(() =>
      restart().catch((error) => {
        run.facts().lastError = `Restart failed: ${(error as Error).message}`;
        run.publish();
      })
    );
    if (delayMs === null) {
      run.facts().lastError += `\nNot restarting: it crashed ${MAX_CRASHES} times within 10 minutes`;
    } else run.note(`Restarting in ${delayMs / 1000} s`);
  }
}
