/**
 * The gateway: one OpenAI endpoint for every profile and every upstream. For
 * each `/v1` request it identifies the caller, reads the `model`, finds the
 * sources that serve it (a local profile, another machine), refuses what the
 * key or the model type does not allow (before anything starts), opens the
 * request on the first source (a lease from the supervisor for a local
 * profile, the upstream's own key for a remote one), trying the next source
 * once when the connection could not even be opened, and passes the answer
 * back unchanged while the activity row is filled in beside it.
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import { findUser } from "../../db/users.ts";
import type { Profile } from "../../lib/profile_types.ts";
import type { Logger } from "../../lib/logger.ts";
import type { ServerStatus } from "../../lib/event_types.ts";
import type { Accounts } from "../accounts/mod.ts";
import type { ApiKeys } from "../keys/mod.ts";
import type { EventBus } from "../events.ts";
import type { ActivityLog } from "./activity.ts";
import { authenticateCaller, type Caller, type Credentials } from "./auth.ts";
import type { Backends } from "./backends.ts";
import { type Endpoint, endpointsFor } from "./endpoints.ts";
import {
  clientClosed,
  modelNotAllowed,
  modelNotFound,
  modelTypeMismatch,
  revokedCut,
  shuttingDownCut,
  toGatewayError,
} from "./errors.ts";
import { nameKey } from "./names.ts";
import { type ParsedBody, readBody } from "./body.ts";
import { errorResponse } from "./headers.ts";
import { ConnectError } from "../platform/http1/mod.ts";
import { catalog, type ModelEntry } from "./catalog.ts";
import { type Source, sourceAllowed, sourceModelType, sourceServes, sourcesFor } from "./sources.ts";
import { type OpenContext, type Opened, openLocal, openRemote, type UpstreamAccess } from "./open.ts";
import { respond } from "./respond.ts";
import { RequestRecord, round } from "./record.ts";
import { InFlight, track } from "./in_flight.ts";
import { cutError, noteSource, openFailure } from "./failures.ts";
import { bridgedBody, type BridgeHooks } from "./bridge.ts";
import { admit } from "./limits.ts";
import type { Limits } from "../limits/mod.ts";

export type { ModelEntry } from "./catalog.ts";
export type { UpstreamAccess } from "./open.ts";
export type { BridgeHooks } from "./bridge.ts";

/** Dependencies of {@link Gateway}. */
export interface GatewayDeps {
  db: Db;
  bus: EventBus;
  logger: Logger;
  accounts: Accounts;
  keys: ApiKeys;
  activity: ActivityLog;
  backends: Backends;
  /** Every profile, as stored now. */
  profiles: () => Profile[];
  /** The status of a profile's server. */
  status: (profileId: number) => Pick<ServerStatus, "state" | "memory_bytes" | "in_flight">;
  /** The installed server's version, if known. */
  serverVersion: () => string | null;
  /** Other machines' servers. @default none */
  upstreams?: UpstreamAccess;
  /** `"none"` lets callers in without credentials (loopback binds only). */
  auth: "key" | "none";
  /** Milliseconds a client may leave an answer unread before it is dropped. @default never */
  clientTimeoutMs?: number;
  /** Per-key and per-user limits. @default none */
  limits?: Limits;
}

/** The parts of an incoming request the gateway reads. */
export interface GatewayRequest {
  request: Request;
  credentials: Credentials;
  /** A protocol bridge in front of the chat endpoint: its body becomes a chat request. */
  bridge?: BridgeHooks;
}

/**
 * The gateway service.
 *
 * @example
 * ```ts
 * const gateway = new Gateway({ db, bus, logger, accounts, keys, activity, backends, profiles, status, serverVersion, auth: "key" });
 * const res = await gateway.forward("/v1/chat/completions", { request, credentials });
 * ```
 */
export class Gateway {
  readonly #deps: GatewayDeps;
  readonly #inFlight = new InFlight();
  readonly #stops: (() => void)[] = [];

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
    this.#stops.push(deps.keys.onRevoked((keyId) => {
      this.#inFlight.cutWhere((a) => a.caller.keyId === keyId, revokedCut("This API key was revoked"));
    }));
    this.#stops.push(deps.bus.subscribe((event) => {
      if (event.type !== "users.changed") return;
      const id = (event.data as { id: number }).id;
      if (findUser(deps.db, id)?.status === "approved") return;
      this.#inFlight.cutWhere(
        (a) => a.caller.userId === id,
        revokedCut("The account this request belongs to was disabled"),
      );
    }));
  }

  /** Requests in flight (for tests and the dashboard). */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Identifies the caller; throws the refusal to answer (`invalid_api_key`, `forbidden_origin`). */
  authenticate(credentials: Credentials): Promise<Caller> {
    return authenticateCaller(credentials, {
      keys: this.#deps.keys,
      accounts: this.#deps.accounts,
      mode: this.#deps.auth,
    });
  }

  /** The models the caller may use: one entry per name and alias, local and remote. */
  models(caller: Caller): ModelEntry[] {
    return catalog(caller.models, {
      profiles: this.#deps.profiles(),
      status: this.#deps.status,
      remotes: this.#deps.upstreams?.targets() ?? [],
    });
  }

  /** One model entry; throws `model_not_found` when the caller may not see it. */
  model(caller: Caller, id: string): ModelEntry {
    const entry = this.models(caller).find((e) => nameKey(e.id) === nameKey(id));
    if (!entry) throw modelNotFound(id);
    return entry;
  }

  /** The sources of a model name, in the order to try them. */
  sources(model: string): Source[] {
    return sourcesFor(model, {
      profiles: this.#deps.profiles(),
      state: (id) => this.#deps.status(id).state,
      remotes: this.#deps.upstreams?.targets() ?? [],
    });
  }

  /**
   * Forwards one request to a server of the model and answers with what it
   * answered (or an OpenAI-shaped error). Never throws.
   */
  async forward(endpoint: Endpoint, incoming: GatewayRequest): Promise<Response> {
    const record = new RequestRecord(incoming.bridge?.endpoint ?? endpoint, this.#deps);
    const { row } = record;

    let caller: Caller;
    try {
      caller = await this.authenticate(incoming.credentials);
    } catch (error) {
      return record.refuse(toGatewayError(error), "rejected_auth");
    }
    row.user_id = caller.userId;
    row.key_id = caller.keyId;

    const { request } = incoming;
    let parsed: ParsedBody;
    try {
      parsed = await readBody(request, endpoint);
      if (incoming.bridge) parsed = bridgedBody(parsed, incoming.bridge, caller);
    } catch (error) {
      return record.refuse(toGatewayError(error));
    }
    row.model = parsed.model;
    row.stream = parsed.stream;

    // The key's and user's limits, before anything starts; every answer then carries their headers.
    const admission = admit(this.#deps.limits, caller, parsed);
    if (admission.refusal) return admission.apply(record.refuse(admission.refusal, "rate_limited"));
    record.onFinish = admission.settle;
    try {
      return admission.apply(
        await this.#serve(endpoint, incoming, caller, parsed, record, admission.headers),
      );
    } catch (error) {
      admission.settle(row); // a request that failed unexpectedly must not hold its key's slot
      throw error;
    }
  }

  /** Routes an admitted request to a source of its model and answers with what it answered. */
  async #serve(
    endpoint: Endpoint,
    incoming: GatewayRequest,
    caller: Caller,
    parsed: ParsedBody,
    record: RequestRecord,
    limitHeaders: Readonly<Record<string, string>>,
  ): Promise<Response> {
    const { row } = record;
    const { request } = incoming;
    const found = this.sources(parsed.model);
    if (found.length === 0) return record.refuse(modelNotFound(parsed.model));
    const sources = found.filter((s) => sourceAllowed(caller.models, s));
    if (sources.length === 0) {
      noteSource(record, found[0]);
      return record.refuse(modelNotAllowed(parsed.model));
    }
    const serving = sources.filter((s) => sourceServes(s, endpoint));
    if (serving.length === 0) {
      noteSource(record, sources[0]);
      const type = sourceModelType(sources[0])!;
      return record.refuse(modelTypeMismatch(parsed.model, type, endpoint, endpointsFor(type)));
    }

    const tracked = track(this.#inFlight, request, caller);
    const done = tracked.done;
    /** The answer when the gateway itself ended the request, or null. */
    const ended = (): Response | null => {
      if (tracked.clientGone()) {
        return record.refuse(clientClosed());
      }
      const cut = tracked.cutReason();
      if (!cut) return null;
      return record.refuse(cutError(cut), cut.code === "api_key_revoked" ? "api_key_revoked" : undefined);
    };

    const ctx: OpenContext = { endpoint, request, parsed, requestId: record.id, signal: tracked.signal };
    incoming.bridge?.admitted?.(record.id, limitHeaders);
    let retried = false;
    // Each turn answers, or moves on to the next source after a connection that could not be opened.
    for (let i = 0;; i++) {
      const source = serving[i];
      noteSource(record, source);
      let opened: Opened;
      try {
        opened = await this.#open(source, ctx);
      } catch (error) {
        const stop = ended();
        if (stop) {
          done();
          return stop;
        }
        if (error instanceof ConnectError) {
          if (source.type === "remote") {
            this.#deps.upstreams?.markUnreachable(source.upstream.id, error.message);
          }
          // Nothing was sent: the next source may take it, once.
          if (!retried && i + 1 < serving.length) {
            retried = true;
            continue;
          }
        }
        done();
        return record.refuse(openFailure(error, source, parsed.model, this.#deps.upstreams));
      }
      row.cold_start = opened.coldStart;
      row.queue_ms = opened.queueMs === null ? null : round(opened.queueMs);
      return await respond(opened, {
        record,
        parsed,
        cutReason: tracked.cutReason,
        done,
        upstream: source.type === "remote" ? source.upstream.name : null,
        stallMs: this.#deps.clientTimeoutMs,
      });
    }
  }

  #open(source: Source, ctx: OpenContext): Promise<Opened> {
    if (source.type === "local") {
      return openLocal(source, ctx, {
        backends: this.#deps.backends,
        serverVersion: this.#deps.serverVersion(),
      });
    }
    return openRemote(source, ctx, this.#deps.upstreams!);
  }

  /** Stops listening for revocations and ends the requests in flight. */
  close(): void {
    for (const stop of this.#stops) stop();
    this.#inFlight.cutWhere(() => true, shuttingDownCut());
  }
}

export { errorResponse };
