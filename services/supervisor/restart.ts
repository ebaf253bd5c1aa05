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
