/**
 * Stored responses: kept per owner for the retention, continued with
 * `previous_response_id` (the model sees every earlier turn of the chain,
 * inputs and outputs, oldest first), read and deleted by their owner only.
 *
 * @module
 */
import type { Db } from "../../../db/mod.ts";
import { deleteResponse, findResponse, insertResponse, pruneResponses } from "../../../db/responses.ts";
import { previousResponseNotFound } from "../../gateway/errors.ts";
import type { Logger } from "../../../lib/logger.ts";
import type { Item } from "./request.ts";

/** The longest chain of earlier turns a request may continue. */
export const MAX_CHAIN = 512;

/**
 * The store.
 *
 * @example
 * ```ts
 * const store = new ResponseStore({ db, retentionDays: 30 });
 * store.save({ id: "resp_1", userId: 1, previousId: null, input, output, response });
 * store.history("resp_1", 1); // [...input, ...output]
 * ```
 */
export class ResponseStore {
  constructor(readonly deps: { db: Db; retentionDays: number; logger?: Logger }) {}

  /** {@link save}, logging instead of throwing when the row cannot be written. */
  trySave(turn: Parameters<ResponseStore["save"]>[0]): void {
    try {
      this.save(turn);
    } catch (error) {
      this.deps.logger?.error("Cannot store a response", { id: turn.id, error: String(error) });
    }
  }

  /** Keeps a finished response. */
  save(turn: {
    id: string;
    userId: number | null;
    previousId: string | null;
    input: Item[];
    output: Item[];
    response: Record<string, unknown>;
  }): void {
    insertResponse(this.deps.db, {
      id: turn.id,
      user_id: turn.userId,
      previous_id: turn.previousId,
      input: turn.input,
      output: turn.output,
      response: turn.response,
      created_at: new Date().toISOString(),
    });
  }

  /** The response object if `userId` owns it, else null. */
  get(id: string, userId: number | null): Record<string, unknown> | null {
    return findResponse(this.deps.db, id, userId)?.response ?? null;
  }

  /** Deletes it if `userId` owns it; whether it did. */
  delete(id: string, userId: number | null): boolean {
    return deleteResponse(this.deps.db, id, userId);
  }

  /**
   * Every item of the chain that ends at `id`, oldest turn first.
   *
   * @throws {GatewayError} `previous_response_not_found` when `userId` has no such response
   */
  history(id: string, userId: number | null): Item[] {
    const turns: Item[][] = [];
    let next: string | null = id;
    while (next !== null && turns.length < MAX_CHAIN) {
      const row = findResponse(this.deps.db, next, userId);
      if (!row) {
        if (next === id) {
          throw previousResponseNotFound(id);
        }
        break; // An earlier turn past the retention: the chain starts after it.
      }
      turns.push([...row.input, ...row.output]);
      next = row.previous_id;
    }
    return turns.reverse().flat();
  }

  /** Deletes responses past the retention; how many. */
  prune(at: number = Date.now()): number {
    return pruneResponses(this.deps.db, new Date(at - this.deps.retentionDays * 86_400_000).toISOString());
  }
}
