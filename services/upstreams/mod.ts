/**
 * Upstreams: remote OpenAI-compatible servers (other MLX Managers, exo, any
 * server) that `/v1` routes to. The registry (`registry.ts`) keeps them and
 * their sealed keys; their health and models are probed in `health.ts`
 * (`probe.ts` is one look, `backoff.ts` when to look again).
 *
 * @example
 * ```ts
 * import { Upstreams } from "./services/upstreams/mod.ts";
 * const upstreams = new Upstreams({ db, bus, secrets, logger, connectTimeoutMs: 10_000 });
 * upstreams.targets(); // what the gateway routes to
 * ```
 *
 * @module
 */
export { type RemoteTarget, Upstreams, type UpstreamsOptions } from "./registry.ts";
export { DEFAULT_UPSTREAM_TIMING, type UpstreamTiming } from "./health.ts";
export { type ProbeResult, type ProbeTarget } from "./probe.ts";
export { UpstreamInput } from "./schemas.ts";
