/**
 * `GET /v1/models`: one entry per name a caller may use. A local profile is
 * listed under its name and each alias; an upstream's model under
 * `<upstream>/<model>`, and also under its bare name when no local profile
 * and no other upstream has that name. Pure: the world in, the entries out.
 *
 * @module
 */
import type { Profile } from "../../lib/profile_types.ts";
import type { ServerState, ServerStatus } from "../../lib/event_types.ts";
import type { UpstreamKind, UpstreamState } from "../../lib/upstream_types.ts";
import type { RemoteTarget } from "../upstreams/mod.ts";
import { allowed, nameKey, namesOf } from "./names.ts";
import { endpointsFor } from "./endpoints.ts";
import { qualifiedName, type RemoteSource, sourceAllowed } from "./sources.ts";

/** The `mlx_manager` extension of a local profile's entry. */
export interface LocalModelInfo {
  profile: string;
  profile_id: number;
  alias_of: string | null;
  model_type: string;
  state: ServerState;
  loaded: boolean;
  endpoints: string[];
  /** Seconds idle before the server is stopped; null or 0 = never. */
  idle_timeout: number | null;
  keep_loaded: boolean;
  /** Resident memory of its server, in bytes (null when stopped or unknown). */
  memory_bytes: number | null;
  /** Requests holding its server now. */
  in_flight: number;
}

/** The `mlx_manager` extension of an upstream's model. */
export interface RemoteModelInfo {
  upstream: string;
  upstream_id: number;
  upstream_kind: UpstreamKind;
  upstream_state: UpstreamState;
  /** The model's id on the upstream. */
  remote_id: string;
  /** The qualified name, on the bare-name entry; null on the qualified one. */
  alias_of: string | null;
  model_type: string | null;
  loaded: boolean | null;
  endpoints: string[] | null;
}

/** One entry of `GET /v1/models`. */
export interface ModelEntry {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
  mlx_manager: LocalModelInfo | RemoteModelInfo;
}

/** What the catalog lists. */
export interface CatalogWorld {
  profiles: readonly Profile[];
  status: (profileId: number) => Pick<ServerStatus, "state" | "memory_bytes" | "in_flight">;
  remotes: readonly RemoteTarget[];
}

function localEntries(models: readonly string[] | null, world: CatalogWorld): ModelEntry[] {
  const entries: ModelEntry[] = [];
  for (const profile of world.profiles) {
    if (!allowed(models, profile)) continue;
    const status = world.status(profile.id);
    const created = Math.floor(Date.parse(profile.created_at) / 1000) || 0;
    for (const [i, name] of namesOf(profile).entries()) {
      entries.push({
        id: name,
        object: "model",
        created,
        owned_by: "mlx-manager",
        mlx_manager: {
          profile: profile.name,
          profile_id: profile.id,
          alias_of: i === 0 ? null : profile.name,
          model_type: profile.model_type,
          state: status.state,
          loaded: status.state === "running",
          endpoints: endpointsFor(profile.model_type),
          idle_timeout: profile.idle_timeout ?? null,
          keep_loaded: profile.keep_loaded === true,
          memory_bytes: status.memory_bytes,
          in_flight: status.in_flight,
        },
      });
    }
  }
  return entries;
}

function remoteEntry(source: RemoteSource, id: string, aliasOf: string | null): ModelEntry {
  const { upstream, model } = source;
  return {
    id,
    object: "model",
    created: 0,
    owned_by: upstream.name,
    mlx_manager: {
      upstream: upstream.name,
      upstream_id: upstream.id,
      upstream_kind: upstream.kind,
      upstream_state: upstream.state,
      remote_id: model.id,
      alias_of: aliasOf,
      model_type: model.model_type,
      loaded: model.loaded,
      endpoints: model.model_type ? endpointsFor(model.model_type) : null,
    },
  };
}

/**
 * The entries a caller with the allow-list `models` (null: every model) may see.
 *
 * @example
 * ```ts
 * catalog(null, { profiles, status, remotes }).map((e) => e.id); // ["coder", "studio/qwen", "qwen"]
 * ```
 */
export function catalog(models: readonly string[] | null, world: CatalogWorld): ModelEntry[] {
  const entries = localEntries(models, world);
  const taken = new Set(world.profiles.flatMap((p) => namesOf(p).map(nameKey)));
  const bare = new Map<string, number>();
  for (const upstream of world.remotes) {
    for (const model of upstream.models) bare.set(nameKey(model.id), (bare.get(nameKey(model.id)) ?? 0) + 1);
  }
  for (const upstream of world.remotes) {
    for (const model of upstream.models) {
      const source: RemoteSource = { type: "remote", upstream, model };
      if (!sourceAllowed(models, source)) continue;
      const qualified = qualifiedName(upstream, model);
      entries.push(remoteEntry(source, qualified, null));
      const key = nameKey(model.id);
      if (!taken.has(key) && bare.get(key) === 1) entries.push(remoteEntry(source, model.id, qualified));
    }
  }
  return entries;
}
