/**
 * Servers another service manager (launchd) runs, as the memory budget sees
 * them: they hold memory and count as loaded models, charged like the
 * supervisor's own (the larger of the estimate and the measured peak), but
 * the supervisor never stops them to make room.
 *
 * @module
 */
import type { ServerStatus } from "../../lib/event_types.ts";
import { estimateFootprint, ServerCharge } from "./footprint.ts";
import type { RoomSeeker } from "./room.ts";

const HOLDING = new Set(["starting", "running", "stopping"]);

/**
 * The charges of launchd's servers, kept per run so the measured peak survives between sweeps.
 *
 * @example
 * ```ts
 * const outside = new OutsideCharges(config.hfHubCache);
 * outside.seekers(external.list()); // one RoomSeeker per running launchd server
 * ```
 */
export class OutsideCharges {
  readonly #hubCache: string;
  readonly #charges = new Map<number, { modelPath: string; pid: number | null; charge: ServerCharge }>();

  constructor(hubCache: string) {
    this.#hubCache = hubCache;
  }

  /** Whether a status holds memory (a process exists). */
  static holds(status: ServerStatus): boolean {
    return HOLDING.has(status.state);
  }

  /** The room keeper's view of each server in `statuses` that holds memory. */
  seekers(statuses: ServerStatus[]): RoomSeeker[] {
    const holding = statuses.filter(OutsideCharges.holds);
    const ids = new Set(holding.map((s) => s.profile_id));
    for (const id of this.#charges.keys()) if (!ids.has(id)) this.#charges.delete(id);
    return holding.map((status) => {
      const id = status.profile_id;
      let entry = this.#charges.get(id);
      // A new process or another model is a new run: its peak is measured again.
      if (!entry || entry.modelPath !== status.model_path || entry.pid !== status.pid) {
        const modelPath = status.model_path;
        entry = {
          modelPath,
          pid: status.pid,
          charge: new ServerCharge(() => estimateFootprint(modelPath, this.#hubCache)),
        };
        this.#charges.set(id, entry);
      }
      const { charge } = entry;
      if (status.memory_bytes !== null) charge.measured(status.memory_bytes);
      return {
        id,
        wanted: false,
        estimate: () => charge.estimate(),
        budgetView: () => charge.view({ id, idle: false, keepLoaded: true }),
        evict: () => Promise.resolve(),
        reserve: () => {},
      };
    });
  }
}
