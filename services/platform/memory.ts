/**
 * The one source of this machine's total memory. Tests pass their own
 * {@link MemorySource} through the composition root, so every area sees the
 * same figure.
 *
 * @module
 */

/** Total physical memory in bytes. */
export type MemorySource = () => number;

/**
 * The real figure, from the operating system.
 *
 * @example
 * ```ts
 * systemTotalMemory(); // 68719476736 on a 64 GB Mac
 * ```
 */
export const systemTotalMemory: MemorySource = () => Deno.systemMemoryInfo().total;
