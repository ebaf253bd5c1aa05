/**
 * The seam between the chat and whatever runs model servers: which profiles
 * exist, whether their server is running and where it listens, and a way to
 * start one. The chat depends only on this interface.
 *
 * @module
 */

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

/** Finds and starts chat targets. */
export interface ChatTargets {
  /** The target of a profile, or null when the profile does not exist. */
  get(profileId: number): ChatTarget | null;
  /** Every profile, running or not. */
  list(): ChatTarget[];
  /** Starts a profile's server (resolves once the start is under way). */
  start(profileId: number): Promise<void>;
}

/**
 * The URL to reach a server that binds `host`: a wildcard bind is reached on
 * loopback, and IPv6 literals get brackets.
 *
 * @example
 * ```ts
 * serverUrl("0.0.0.0", 10240); // "http://127.0.0.1:10240"
 * serverUrl("::1", 8000);      // "http://[::1]:8000"
 * ```
 */
export function serverUrl(host: string, port: number): string {
  const reachable = host === "0.0.0.0" || host === "" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}
