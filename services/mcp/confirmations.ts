/**
 * Tool calls waiting for the user's yes or no. The chat's tool loop asks and
 * waits; `POST /api/chat/tool-confirmations/{id}` answers. Only the user whose
 * chat asked can answer; no answer within the time limit, or the chat going
 * away, counts as no.
 *
 * @module
 */

interface Pending {
  userId: number;
  resolve: (approved: boolean) => void;
}

/**
 * The pending confirmations.
 *
 * @example
 * ```ts
 * const confirmations = new Confirmations();
 * const answer = confirmations.ask(7, "call_1", 300_000, signal); // resolves true or false
 * confirmations.answer(7, "call_1", true);                        // true: someone was waiting
 * ```
 */
export class Confirmations {
  readonly #pending = new Map<string, Pending>();

  /** Waits for the answer to `toolCallId`: true when approved, false when refused, timed out or aborted. */
  ask(userId: number, toolCallId: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined = undefined;
      const done = (approved: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (this.#pending.get(toolCallId)?.resolve === done) this.#pending.delete(toolCallId);
        resolve(approved);
      };
      const onAbort = () => done(false);
      if (signal?.aborted) return resolve(false);
      signal?.addEventListener("abort", onAbort, { once: true });
      timer = setTimeout(() => done(false), timeoutMs);
      // A model that reuses a call id replaces the older question, which then counts as no.
      this.#pending.get(toolCallId)?.resolve(false);
      this.#pending.set(toolCallId, { userId, resolve: done });
    });
  }

  /** Answers a pending question of `userId`; false when there is none (or it is someone else's). */
  answer(userId: number, toolCallId: string, approved: boolean): boolean {
    const pending = this.#pending.get(toolCallId);
    if (!pending || pending.userId !== userId) return false;
    pending.resolve(approved);
    return true;
  }

  /** Refuses every pending question (at shutdown). */
  close(): void {
    for (const pending of [...this.#pending.values()]) pending.resolve(false);
  }
}
