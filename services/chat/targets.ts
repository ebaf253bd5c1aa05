/**
 * The seam between the chat and whatever runs model servers: which profiles
 * exist, whether their server is running and where it listens, and a way to
 * start one. The chat depends only on this interface.
 *
 * @module
 */

/** A profile the chat can talk to. */
export interface ChatTarget {
  profileId: number;
  name: string;
  /** The model id sent upstream (`--model-path` as given, which the server reports). */
  modelId: string;
  /** `lm`, `multimodal`, … (only `multimodal` receives images). */
  modelType: string;
  systemPrompt: string | null;
  /** The profile's default sampling, for requests that set none. */
  sampling?: { temperature: number | null; top_p: number | null; max_tokens: number | null };
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
