/**
 * The one source of this machine's total memory. Tests pass their own
 * {@link MemorySource} through the composition root, so every area sees the
 * same figure.
 *
 * @module
 */

/** Total physical memory in bytes. */
export type MemorySource = () => number;

let total: number | undefined;

/**
 * The real figure, from the operating system, asked once: it does not change
 * while the app runs, and every server status asks it.
 *
 * @example
 * ```ts
 * systemTotalMemory(); // 68719476736 on a 64 GB Mac
 * ```
 */
export const systemTotalMemory: MemorySource = () => total ??= Deno.systemMemoryInfo().total;
