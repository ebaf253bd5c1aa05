/**
 * The memory a model is expected to take before it runs: its weights on disk
 * plus a context estimate, the same arithmetic as the "will it fit" verdict.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { fitVerdict } from "../hub/fit.ts";
import { repoDir } from "../models/cache_layout.ts";
import { walkFiles } from "../models/scan.ts";
import type { LoadedServer } from "./budget.ts";
import type { RoomSeeker } from "./room.ts";

const WEIGHTS = /\.(safetensors|npz|gguf|bin)$/;

/**
 * Bytes of the weights of a model folder, or of a repo id in the Hugging Face cache.
 *
 * @example
 * ```ts
 * await weightsOnDisk("mlx-community/Qwen3-8B-4bit", hubCache); // 4617839616
 * ```
 */
export async function weightsOnDisk(modelPath: string, hubCache: string): Promise<number> {
  // A repo's blobs hold each file once; a folder is read as it is.
  const dir = isAbsolute(modelPath) ? modelPath : join(repoDir(hubCache, modelPath), "snapshots");
  const files = await walkFiles(dir);
  return files.filter((f) => WEIGHTS.test(f.path)).reduce((n, f) => n + f.size, 0);
}

/**
 * The expected footprint of a model: weights plus a working-context estimate
 * (0 when no weights are found, so an unknown model is charged its measured
 * peak only), plus the weights of its draft model, which the server loads in
 * full beside it.
 */
export async function estimateFootprint(
  modelPath: string,
  hubCache: string,
  draftModelPath: string | null = null,
): Promise<number> {
  const [weights, draft] = await Promise.all([
    weightsOnDisk(modelPath, hubCache),
    draftModelPath ? weightsOnDisk(draftModelPath, hubCache) : 0,
  ]);
  const main = fitVerdict(weights || null, null, Number.MAX_SAFE_INTEGER).needed_bytes ?? 0;
  return main + draft;
}

/**
 * What one server is charged in the memory budget: the larger of its
 * expected footprint and its measured peak, plus when it was last used.
 *
 * @example
 * ```ts
 * const charge = new ServerCharge(() => estimateFootprint(profile.model_path, hubCache));
 * charge.measured(734003200);
 * await charge.bytes(); // max(estimate, 734003200)
 * ```
 */
export class ServerCharge {
  readonly #estimate: () => Promise<number>;
  #cached: Promise<number> | null = null;
  /** Counted as loaded while its start is under way (decided under the budget lock). */
  reserved = false;
  /** When its last lease ended (`performance.now()`). */
  lastUsed = 0;
  #peak = 0;

  constructor(estimate: () => Promise<number>) {
    this.#estimate = estimate;
  }

  /** The expected footprint, read once. */
  estimate(): Promise<number> {
    return this.#cached ??= this.#estimate();
  }

  /** A measured resident size of the running server. */
  measured(rssBytes: number): void {
    this.#peak = Math.max(this.#peak, rssBytes);
  }

  /** A new run: its peak is measured again, its estimate read again (the profile may have changed). */
  newRun(): void {
    this.#peak = 0;
    this.#cached = null;
  }

  /** The budget's view of the server. */
  async view(facts: Omit<LoadedServer, "charge" | "lastUsed">): Promise<LoadedServer> {
    return { ...facts, charge: Math.max(await this.estimate(), this.#peak), lastUsed: this.lastUsed };
  }

  /** The server as the room keeper sees it. */
  seeker(server: {
    id: number;
    wanted(): boolean;
    /** Holds memory: a process exists. */
    live(): boolean;
    idle(): boolean;
    keepLoaded(): boolean;
    evict(): Promise<void>;
  }): RoomSeeker {
    return {
      id: server.id,
      get wanted() {
        return server.wanted();
      },
      estimate: () => this.estimate(),
      budgetView: async () =>
        server.live() || this.reserved
          ? await this.view({ id: server.id, idle: server.idle(), keepLoaded: server.keepLoaded() })
          : null,
      evict: () => server.evict(),
      reserve: () => this.reserved = true,
    };
  }
}
