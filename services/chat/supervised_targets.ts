/**
 * The chat's targets backed by the real profiles and supervisor: every
 * profile is a target; its server's state and address come from the
 * supervisor at the moment of asking, and a turn's lease comes from the same
 * {@link Backends} as a `/v1` request's.
 *
 * @module
 */
import type { Profiles } from "../profiles/mod.ts";
import type { Supervisor } from "../supervisor/mod.ts";
import type { Backends } from "../gateway/backends.ts";
import type { Profile } from "../../db/profiles.ts";
import type { ServerStatus } from "../../lib/event_types.ts";
import { AppError } from "../../lib/errors.ts";
import type { ChatTarget, ChatTargets, Lease } from "./targets.ts";
import { serverUrl } from "../platform/dial.ts";
import { samplingOf } from "./profile_defaults.ts";

function toTarget(profile: Profile, status: ServerStatus): ChatTarget {
  const reachable = status.state === "running" || status.state === "starting";
  return {
    profileId: profile.id,
    name: profile.name,
    modelId: profile.model_path,
    // A server started under a served name (1.7+) answers only to it.
    servedModel: status.served_model ?? null,
    modelType: profile.model_type,
    systemPrompt: profile.system_prompt,
    sampling: samplingOf(profile),
    state: status.state,
    baseUrl: reachable ? serverUrl(status.host, status.port) : null,
  };
}

/**
 * Chat targets from the supervisor.
 *
 * @example
 * ```ts
 * const targets = new SupervisedTargets(profiles, supervisor, new SupervisorBackends(supervisor));
 * targets.get(3); // { profileId: 3, state: "running", baseUrl: "http://127.0.0.1:10240", … }
 * using lease = await targets.acquire(3, { signal });
 * ```
 */
export class SupervisedTargets implements ChatTargets {
  readonly #profiles: Profiles;
  readonly #supervisor: Supervisor;
  readonly #backends: Backends;

  constructor(profiles: Profiles, supervisor: Supervisor, backends: Backends) {
    this.#profiles = profiles;
    this.#supervisor = supervisor;
    this.#backends = backends;
  }

  get(profileId: number): ChatTarget | null {
    const profile = this.#profiles.find(profileId);
    return profile ? toTarget(profile, this.#supervisor.status(profileId)) : null;
  }

  list(): ChatTarget[] {
    return this.#profiles.list().map((p) => toTarget(p, this.#supervisor.status(p.id)));
  }

  async start(profileId: number): Promise<void> {
    await this.#supervisor.start(profileId);
  }

  acquire(profileId: number, options: { signal: AbortSignal }): Promise<Lease> {
    const profile = this.#profiles.find(profileId);
    if (!profile) return Promise.reject(new AppError("not_found", "Profile not found"));
    return this.#backends.acquire(profile, { signal: options.signal });
  }
}
