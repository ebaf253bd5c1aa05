/**
 * The one memory budget for models: the share of this machine's memory set by
 * `MLX_MANAGER_MAX_MEMORY_PERCENT`. The System page shows it, the Models page
 * and its fit verdicts judge against it. Browser-safe.
 *
 * @module
 */

/**
 * The bytes models should stay under.
 *
 * @example
 * ```ts
 * memoryBudgetBytes(32 * 2 ** 30, 80); // 27487790694
 * ```
 */
export function memoryBudgetBytes(totalMemory: number, maxMemoryPercent: number): number {
  return Math.round(totalMemory * maxMemoryPercent / 100);
}
