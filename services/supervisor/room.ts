/**
 * The one place that decides room in the memory budget: starts for requests
 * pass through it one at a time, stop the least recently used idle servers
 * the plan names, or wait until a lease ends or a server stops.
 *
 * @module
 */
import { AppError } from "../../lib/errors.ts";
import { type BudgetLimits, type LoadedServer, planRoom } from "./budget.ts";

/** What the keeper needs of a server. */
export interface RoomSeeker {
  readonly id: number;
  /** Still starting with requests waiting for it. */
  readonly wanted: boolean;
  estimate(): Promise<number>;
  budgetView(): Promise<LoadedServer | null>;
  evict(): Promise<void>;
  reserve(): void;
}

const GB = 1024 ** 3;
const gb = (bytes: number) => `${(bytes / GB).toFixed(1)} GB`;

/**
 * Serializes room decisions.
 *
 * @example
 * ```ts
 * await keeper.makeRoom(server, () => allServers, { budgetBytes, maxLoaded: 2 });
 * ```
 */
export class RoomKeeper {
  #lock: Promise<void> = Promise.resolve();
  #waiters: (() => void)[] = [];

  /** A lease ended or a server stopped: waiting starts look again. */
  changed(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  #nextChange(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Resolves once `server` fits (having stopped idle servers as needed) and
   * counts it as loaded.
   *
   * @throws {AppError} `unavailable` (`model_exceeds_memory_budget`) when the
   *   model alone is over the budget; (`queue_timeout`) when no request waits any more
   */
  async makeRoom(seeker: RoomSeeker, all: () => RoomSeeker[], limits: BudgetLimits): Promise<void> {
    const need = await seeker.estimate();
    for (;;) {
      const change = this.#nextChange();
      const decided = await this.#serialized(async () => {
        const others = all().filter((s) => s !== seeker);
        const loaded = (await Promise.all(others.map((s) => s.budgetView()))).filter((v) => v !== null);
        const plan = planRoom(need, loaded, limits);
        if (plan.kind === "too_big") {
          throw new AppError(
            "unavailable",
            `The model needs about ${gb(plan.need)}, more than the whole memory budget of ${
              gb(plan.budget)
            }: raise MLX_MANAGER_MEMORY_BUDGET_GB or use a smaller model`,
            { reason: "model_exceeds_memory_budget" },
          );
        }
        if (plan.kind === "wait") return false;
        for (const id of plan.evict) await others.find((s) => s.id === id)?.evict();
        seeker.reserve();
        return true;
      });
      if (decided) return;
      if (!seeker.wanted) {
        throw new AppError("unavailable", "No request waits for this start any more", {
          reason: "queue_timeout",
        });
      }
      await change;
    }
  }

  async #serialized<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.#lock;
    let release!: () => void;
    this.#lock = new Promise((resolve) => release = resolve);
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}
