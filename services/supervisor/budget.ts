/**
 * Room for one more model: which idle servers to stop, least recently used
 * first, so that a new one fits the memory budget and the loaded-model limit.
 * Pure: the supervisor passes in what is loaded.
 *
 * @module
 */

/** A loaded (or loading) server as the budget sees it. */
export interface LoadedServer {
  id: number;
  /** Bytes charged: the larger of its estimate and its measured peak. */
  charge: number;
  /** Running with no lease held and nobody waiting. */
  idle: boolean;
  /** The profile's `keep_loaded`: never stopped to make room. */
  keepLoaded: boolean;
  /** When its last lease was released (ms, any monotonic clock). */
  lastUsed: number;
}

/** The limits: `maxLoaded` 0 = no limit. */
export interface BudgetLimits {
  budgetBytes: number;
  maxLoaded: number;
}

/** What to do before a start of a model needing `need` bytes. */
export type RoomPlan =
  /** It fits once these servers (possibly none) are stopped. */
  | { kind: "fits"; evict: number[] }
  /** Only busy or kept servers hold the room: wait for one to become idle. */
  | { kind: "wait" }
  /** The model alone is larger than the budget. */
  | { kind: "too_big"; need: number; budget: number };

/**
 * Plans room for a model of `need` bytes among `loaded` servers (the one to
 * start excluded).
 *
 * @example
 * ```ts
 * planRoom(4e9, [{ id: 1, charge: 5e9, idle: true, keepLoaded: false, lastUsed: 0 }], { budgetBytes: 8e9, maxLoaded: 0 });
 * // { kind: "fits", evict: [1] }
 * ```
 */
export function planRoom(need: number, loaded: LoadedServer[], limits: BudgetLimits): RoomPlan {
  if (need > limits.budgetBytes) return { kind: "too_big", need, budget: limits.budgetBytes };
  let used = loaded.reduce((sum, s) => sum + s.charge, 0);
  let count = loaded.length;
  const fits = () => used + need <= limits.budgetBytes && (limits.maxLoaded <= 0 || count < limits.maxLoaded);
  const candidates = loaded.filter((s) => s.idle && !s.keepLoaded).sort((a, b) => a.lastUsed - b.lastUsed);
  const evict: number[] = [];
  for (const server of candidates) {
    if (fits()) break;
    evict.push(server.id);
    used -= server.charge;
    count--;
  }
  // Stop nothing unless that makes room: a partial eviction would unload models for no start.
  return fits() ? { kind: "fits", evict } : { kind: "wait" };
}
