/**
 * The seam between the chat and whatever runs model servers: which profiles
 * exist, whether their server is running, a way to start one, and the lease
 * a turn holds on it. The chat depends only on this interface.
 *
 * @module
 */
import type { Lease } from "../supervisor/lease.ts";

export type { Lease } from "../supervisor/lease.ts";

import type { Sampling } from "./profile_defaults.ts";

/** A profile the chat can talk to. */
export interface ChatTarget {
  profileId: number;
  name: string;
  /** The model (`--model-path` as given), as the chat shows and records it. */
  modelId: string;
  /**
   * The `model` the request carries: the name the server was started under
   * (`--served-model-name`, 1.7+); null or absent = `modelId` (1.5 takes any).
   */
  servedModel?: string | null;
  /** `lm`, `multimodal`, … (only `multimodal` receives images). */
  modelType: string;
  systemPrompt: string | null;
  /** The profile's default sampling, for requests that set none. */
  sampling?: Sampling;
  /** `running` takes requests; `starting` is loading; other values mean it is not available. */
  state: string;
  /** Where the server answers, e.g. `http://127.0.0.1:10240`; null unless running or starting. */
  baseUrl: string | null;
}

/** Finds, starts and admits to chat targets. */
export interface ChatTargets {
  /** The target of a profile, or null when the profile does not exist. */
  get(profileId: number): ChatTarget | null;
  /** Every profile, running or not. */
  list(): ChatTarget[];
  /** Starts a profile's server (resolves once the start is under way). */
  start(profileId: number): Promise<void>;
  /**
   * A lease on the profile's ready server for one turn, taken like a `/v1`
   * request's: it waits in the profile's queue, starting the server when it
   * is not running. Release it when the turn ends.
   *
   * @throws {AppError} `not_found`; `rate_limited` (`queue_full`); `unavailable`
   *   (`queue_timeout`, `model_start_failed`, …); the signal's reason on abort
   */
  acquire(profileId: number, options: { signal: AbortSignal }): Promise<Lease>;
}
