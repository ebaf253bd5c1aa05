/**
 * Shapes of the upstreams API that islands read. Browser-safe: types only.
 *
 * @module
 */

/** What kind of server an upstream is. */
export type UpstreamKind = "mlx-manager" | "exo" | "openai";

/** The kinds, in the order forms offer them. */
export const UPSTREAM_KINDS: readonly UpstreamKind[] = ["mlx-manager", "exo", "openai"];

/** Whether an upstream answers: `unknown` until the first probe. */
export type UpstreamState = "unknown" | "online" | "offline" | "auth_failed";

/** One model an upstream serves, as its `/v1/models` listed it. */
export interface UpstreamModel {
  /** The id on the upstream, e.g. `qwen-small`. */
  id: string;
  /** For an MLX Manager peer: whether its server is running there; null when the upstream does not say. */
  loaded: boolean | null;
  /** For an MLX Manager peer: its model type (`lm`, `embeddings`, …); null when unknown. */
  model_type: string | null;
  /** For an MLX Manager peer: the state of its server there. */
  state: string | null;
  /** For an MLX Manager peer: resident memory of its server there, in bytes. */
  memory_bytes: number | null;
  /** For an MLX Manager peer: requests holding its server there now. */
  in_flight: number | null;
  /** For an MLX Manager peer: the name this one is an alias of there; null for a profile's own name. */
  alias_of: string | null;
}

/** An upstream as `GET /api/upstreams` lists it: never its key. */
export interface UpstreamView {
  id: number;
  name: string;
  kind: UpstreamKind;
  /** The OpenAI base URL, ending in `/v1`. */
  base_url: string;
  /** Whether a key is stored (the key itself is never shown). */
  has_api_key: boolean;
  /** `"discover"`, or the model ids an admin listed. */
  models: "discover" | string[];
  enabled: boolean;
  state: UpstreamState;
  /** Why the last probe failed; null after a success. */
  last_error: string | null;
  /** Time the last successful probe took. */
  latency_ms: number | null;
  /** When it was last probed (ISO). */
  checked_at: string | null;
  /** The models it serves now (the discovered or listed ones). */
  served: UpstreamModel[];
  created_at: string;
  updated_at: string;
}

/** A remote machine as the dashboard shows it to every signed-in user: no URL, no key. */
export interface RemoteMachineView {
  id: number;
  name: string;
  kind: UpstreamKind;
  state: UpstreamState;
  last_error: string | null;
  latency_ms: number | null;
  checked_at: string | null;
  served: UpstreamModel[];
}
