/**
 * Where a model name can be served: by a local profile (its name or an
 * alias), by an upstream as `<upstream>/<model>`, or by the bare name of an
 * upstream's model. When several sources serve a bare name they are tried in
 * this order: the loaded ones, then the local profile, then the upstreams
 * that are online (oldest first), then the others. Pure functions over the
 * profiles and the upstreams as they are now.
 *
 * @module
 */
import type { Profile } from "../../lib/profile_types.ts";
import type { ServerState } from "../../lib/event_types.ts";
import type { UpstreamModel } from "../../lib/upstream_types.ts";
import type { RemoteTarget } from "../upstreams/mod.ts";
import { allowed as profileAllowed, nameKey, resolveModel } from "./names.ts";
import { type Endpoint, serves } from "./endpoints.ts";

/** A local profile that serves the name. */
export interface LocalSource {
  type: "local";
  profile: Profile;
  loaded: boolean;
}

/** An upstream's model that serves the name. */
export interface RemoteSource {
  type: "remote";
  upstream: RemoteTarget;
  model: UpstreamModel;
}

/** One place a request can go. */
export type Source = LocalSource | RemoteSource;

/** What {@link sourcesFor} looks at. */
export interface SourceWorld {
  profiles: readonly Profile[];
  state: (profileId: number) => ServerState;
  remotes: readonly RemoteTarget[];
}

/** `<upstream>/<model>`, the name a remote model always answers to. */
export function qualifiedName(upstream: RemoteTarget, model: UpstreamModel): string {
  return `${upstream.name}/${model.id}`;
}

function rank(source: Source): number {
  if (source.type === "local") return source.loaded ? 0 : 1;
  if (source.model.loaded === true && source.upstream.state === "online") return 0;
  if (source.upstream.state === "online") return 2;
  if (source.upstream.state === "unknown" || source.upstream.state === "offline") return 3;
  return 4;
}

/**
 * Every source of `name`, in the order to try them. A name that is a local
 * profile's or an upstream-qualified one has exactly one source.
 *
 * @example
 * ```ts
 * sourcesFor("studio/qwen", world); // [{ type: "remote", upstream: studio, model: qwen }]
 * sourcesFor("qwen", world);        // the loaded source first, then the local profile, then the online upstreams
 * ```
 */
export function sourcesFor(name: string, world: SourceWorld): Source[] {
  const key = nameKey(name);
  const found: Source[] = [];
  const profile = resolveModel(world.profiles, name);
  if (profile) found.push({ type: "local", profile, loaded: world.state(profile.id) === "running" });
  for (const upstream of world.remotes) {
    const prefix = nameKey(`${upstream.name}/`);
    const qualified = key.startsWith(prefix);
    for (const model of upstream.models) {
      if (qualified && nameKey(qualifiedName(upstream, model)) === key) {
        // The qualified name wins over any bare match: it says where to go.
        return profile ? [found[0]] : [{ type: "remote", upstream, model }];
      }
      if (nameKey(model.id) === key) found.push({ type: "remote", upstream, model });
    }
  }
  // A stable sort keeps the upstreams' registration order within a rank.
  return found.map((s, i) => [s, i] as const).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1])
    .map(([s]) => s);
}

/**
 * Whether a key's allow-list lets it use `source`: an empty or absent list
 * allows everything; otherwise the profile's names, or the remote model's
 * qualified or bare name, must be listed.
 */
export function sourceAllowed(models: readonly string[] | null, source: Source): boolean {
  if (source.type === "local") return profileAllowed(models, source.profile);
  if (!models || models.length === 0) return true;
  const listed = new Set(models.map(nameKey));
  return listed.has(nameKey(qualifiedName(source.upstream, source.model))) ||
    listed.has(nameKey(source.model.id));
}

/** Whether `source` serves `endpoint` (a remote model of unknown type is assumed to). */
export function sourceServes(source: Source, endpoint: Endpoint): boolean {
  if (source.type === "local") return serves(source.profile.model_type, endpoint);
  return source.model.model_type === null || serves(source.model.model_type, endpoint);
}

/** The model type of a source, when known. */
export function sourceModelType(source: Source): string | null {
  return source.type === "local" ? source.profile.model_type : source.model.model_type;
}

/** Whether any source answers to `name` (for allow-lists of new keys). */
export function isKnownName(name: string, world: Omit<SourceWorld, "state">): boolean {
  return sourcesFor(name, { ...world, state: () => "stopped" }).length > 0;
}
