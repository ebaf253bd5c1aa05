/**
 * Chat targets from a fixed list, for tests that point the chat at servers
 * they started themselves (passed as the runtime's `chatTargets`).
 *
 * @module
 */
import type { ChatTarget, ChatTargets } from "../../services/chat/targets.ts";

/**
 * A fixed list of targets; none of them can be started.
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
}
