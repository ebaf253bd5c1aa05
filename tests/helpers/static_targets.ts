/**
 * Chat targets from a fixed list, for tests that point the chat at servers
 * they started themselves (passed as the runtime's `chatTargets`).
 *
 * @module
 */
import { AppError } from "../../lib/errors.ts";
import { HeldLease } from "../../services/supervisor/lease.ts";
import type { ChatTarget, ChatTargets, Lease } from "../../services/chat/targets.ts";

/**
 * A fixed list of targets; none of them can be started. A running target
 * with an address gives a lease at once; any other is refused as a stopped
 * server would be when it cannot start.
 *
 * @example
 * ```ts
 * const targets = new StaticTargets([{ profileId: 1, name: "Qwen", modelId: "m", modelType: "lm",
 *   systemPrompt: null, state: "running", baseUrl: "http://127.0.0.1:10240" }]);
 * await using rt = await testRuntime({ runtime: { chatTargets: targets } });
 * ```
 */
export class StaticTargets implements ChatTargets {
  readonly #targets = new Map<number, ChatTarget>();
  /** Leases handed out and not released yet. */
  held = 0;

  constructor(targets: ChatTarget[] = []) {
    for (const t of targets) this.#targets.set(t.profileId, t);
  }

  get(profileId: number): ChatTarget | null {
    return this.#targets.get(profileId) ?? null;
  }

  list(): ChatTarget[] {
    return [...this.#targets.values()];
  }

  start(profileId: number): Promise<void> {
    const target = this.#targets.get(profileId);
    if (!target) return Promise.reject(new Error("Profile not found"));
    return Promise.reject(new Error(`${target.name} cannot be started from here`));
  }

  acquire(profileId: number): Promise<Lease> {
    const target = this.#targets.get(profileId);
    if (!target) return Promise.reject(new AppError("not_found", "Profile not found"));
    if (target.state !== "running" || !target.baseUrl) {
      const message = target.state === "starting"
        ? `${target.name} is still loading its model: wait until it shows Running, then send again`
        : `${target.name} is not running: start it, then send again`;
      return Promise.reject(new AppError("unavailable", message, { reason: "model_start_failed" }));
    }
    this.held++;
    const facts = {
      profileId,
      baseUrl: target.baseUrl,
      coldStart: false,
      queueMs: 0,
      servedModel: target.servedModel ?? null,
    };
    return Promise.resolve(new HeldLease(facts, () => this.held--));
  }
}
