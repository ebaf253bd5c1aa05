/**
 * When to look at an upstream again: at the health interval while it answers,
 * then twice as long after each failure in a row, up to a ceiling. Pure.
 *
 * @module
 */

/**
 * The delay before the next probe after `failures` failed ones in a row.
 *
 * @example
 * ```ts
 * nextProbeDelay(0, 10_000, 120_000); // 10000
 * nextProbeDelay(3, 10_000, 120_000); // 40000
 * nextProbeDelay(9, 10_000, 120_000); // 120000
 * ```
 */
export function nextProbeDelay(failures: number, intervalMs: number, maxMs: number): number {
  if (failures <= 1) return intervalMs;
  return Math.min(maxMs, intervalMs * 2 ** Math.min(failures - 1, 20));
}
