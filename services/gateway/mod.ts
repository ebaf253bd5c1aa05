/**
 * The gateway: one OpenAI endpoint for every profile. For each `/v1`
 * request it identifies the caller, reads the `model`, resolves it to a
 * profile by name or alias, refuses what the key or the model type does not
 * allow (before anything starts), takes a lease on the profile's server from
 * the supervisor (which starts it, queues or refuses), forwards the request
 * and passes the answer back unchanged while an observer beside the stream
 * notes the first token and the usage, then records the activity row.
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import { findUser } from "../../db/users.ts";
import type { Outcome } from "../../db/activity.ts";
import type { Profile } from "../../lib/profile_types.ts";
import type { Logger } from "../../lib/logger.ts";
import type { ServerState } from "../../lib/event_types.ts";
import type { Accounts } from "../accounts/mod.ts";
import type { ApiKeys } from "../keys/mod.ts";
import type { EventBus } from "../events.ts";
import type { ActivityLog, ActivityRow } from "./activity.ts";
import { authenticateCaller, type Caller, type Credentials } from "./auth.ts";
import type { Backends, Lease } from "./backends.ts";
import { type Endpoint, endpointsFor, serves } from "./endpoints.ts";
import { badRequest, GatewayError, modelNotFound, normalizeUpstreamError, toGatewayError } from "./errors.ts";
import { allowed, nameKey, namesOf, resolveModel } from "./names.ts";
import { rewriteBody } from "./rewrite.ts";
import { estimateTokens, observeJson, SseObserver } from "./observer.ts";
import { jsonFigures, streamFigures } from "./measure.ts";
import { type Cut, passthrough } from "./passthrough.ts";
import { concat, type ParsedBody, readBody } from "./body.ts";
import { errorResponse, responseHeaders, upstreamHeaders } from "./headers.ts";
import { request as upstreamRequest, type UpstreamResponse } from "./upstream_http.ts";

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
  /** The state of a profile's server. */
  state: (profileId: number) => ServerState;
  /** The installed server's version, if known. */
  serverVersion: () => string | null;
  /** `"none"` lets callers in without credentials (loopback binds only). */
  auth: "key" | "none";
}

/** One entry of `GET /v1/models`. */
export interface ModelEntry {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
  mlx_manager: {
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
  };
}

/** A request in flight, so a revocation can end it. */
interface Active {
  caller: Caller;
  cut(cut: Cut): void;
}

/** The parts of an incoming request the gateway reads. */
export interface GatewayRequest {
  request: Request;
  credentials: Credentials;
}

/**
 * The gateway service.
 *
 * @example
 * ```ts
 * const gateway = new Gateway({ db, bus, logger, accounts, keys, activity, backends, profiles, state, serverVersion, auth: "key" });
 * const res = await gateway.forward("/v1/chat/completions", { request, credentials });
 * ```
 */
export class Gateway {
  readonly #deps: GatewayDeps;
  readonly #active = new Set<Active>();
  readonly #stops: (() => void)[] = [];

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
    this.#stops.push(deps.keys.onRevoked((keyId) => {
      for (const a of this.#active) {
        if (a.caller.keyId === keyId) {
          a.cut({
            type: "invalid_request_error",
            code: "api_key_revoked",
            message: "This API key was revoked",
          });
        }
      }
    }));
    this.#stops.push(deps.bus.subscribe((event) => {
      if (event.type !== "users.changed") return;
      const id = (event.data as { id: number }).id;
      if (findUser(deps.db, id)?.status === "approved") return;
      for (const a of this.#active) {
        if (a.caller.userId === id) {
          a.cut({
            type: "invalid_request_error",
            code: "api_key_revoked",
            message: "The account this request belongs to was disabled",
          });
        }
      }
    }));
  }

  /** Requests in flight (for tests and the dashboard). */
  get inFlight(): number {
    return this.#active.size;
  }

  /** Identifies the caller; throws the 401/403 to answer. */
  authenticate(credentials: Credentials): Promise<Caller> {
    return authenticateCaller(credentials, {
      keys: this.#deps.keys,
      accounts: this.#deps.accounts,
      mode: this.#deps.auth,
    });
  }

  /** The models the caller may use: one entry per name and alias. */
  models(caller: Caller): ModelEntry[] {
    const entries: ModelEntry[] = [];
    for (const profile of this.#deps.profiles()) {
      if (!allowed(caller.models, profile)) continue;
      const state = this.#deps.state(profile.id);
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
            state,
            loaded: state === "running",
            endpoints: endpointsFor(profile.model_type),
            idle_timeout: profile.idle_timeout ?? null,
            keep_loaded: profile.keep_loaded === true,
          },
        });
      }
    }
    return entries;
  }

  /** One model entry; 404 `model_not_found` when the caller may not see it. */
  model(caller: Caller, id: string): ModelEntry {
    const profile = resolveModel(this.#deps.profiles(), id);
    if (!profile || !allowed(caller.models, profile)) throw modelNotFound(id);
    const entry = this.models({ ...caller, models: null }).find((e) =>
      e.mlx_manager.profile_id === profile.id && nameKey(e.id) === nameKey(id)
    );
    if (!entry) throw modelNotFound(id);
    return entry;
  }

  /**
   * Forwards one request to the profile's server and answers with what the
   * server answered (or an OpenAI-shaped error). Never throws.
   */
  async forward(endpoint: Endpoint, incoming: GatewayRequest): Promise<Response> {
    const t0 = performance.now();
    const id = `req_${crypto.randomUUID().replaceAll("-", "")}`;
    const row: ActivityRow = {
      id,
      created_at: new Date().toISOString(),
      user_id: null,
      key_id: null,
      endpoint,
      model: null,
      profile_id: null,
      stream: false,
      status: 0,
      outcome: "ok",
      prompt_tokens: null,
      completion_tokens: null,
      tokens_estimated: false,
      ttft_ms: null,
      tokens_per_second: null,
      duration_ms: 0,
      queue_ms: null,
      cold_start: false,
    };
    const finish = (status: number, outcome: Outcome) => {
      row.status = status;
      row.outcome = outcome;
      row.duration_ms = round(performance.now() - t0);
      try {
        this.#deps.activity.record(row);
      } catch (error) {
        this.#deps.logger.error("Cannot record a request", { error: String(error) });
      }
    };
    const refuse = (error: GatewayError, outcome?: Outcome) => {
      finish(error.status, outcome ?? outcomeOf(error));
      return errorResponse(error, id);
    };

    let caller: Caller;
    try {
      caller = await this.authenticate(incoming.credentials);
    } catch (error) {
      return refuse(toGatewayError(error), "rejected_auth");
    }
    row.user_id = caller.userId;
    row.key_id = caller.keyId;

    const { request } = incoming;
    let parsed: ParsedBody;
    try {
      parsed = await readBody(request, endpoint);
    } catch (error) {
      return refuse(toGatewayError(error));
    }
    row.model = parsed.model;
    row.stream = parsed.stream;

    const profile = resolveModel(this.#deps.profiles(), parsed.model);
    if (!profile) return refuse(modelNotFound(parsed.model));
    row.profile_id = profile.id;
    if (!allowed(caller.models, profile)) {
      return refuse(
        new GatewayError(
          403,
          "invalid_request_error",
          "model_not_allowed",
          `This API key may not use the model \`${parsed.model}\`; ask for a key that lists it`,
          { param: "model" },
        ),
      );
    }
    if (!serves(profile.model_type, endpoint)) {
      const served = endpointsFor(profile.model_type);
      return refuse(badRequest(
        "model_type_mismatch",
        `The model \`${parsed.model}\` is a ${profile.model_type} model and does not serve ${endpoint}` +
          (served.length ? `; it serves ${served.join(", ")}` : ""),
        "model",
      ));
    }

    let forwardBody: Uint8Array | string = parsed.raw;
    if (parsed.json) {
      const fixed = rewriteBody(parsed.json, {
        version: this.#deps.serverVersion(),
        servedModel: profile.model_path,
      });
      if (fixed !== parsed.json) forwardBody = JSON.stringify(fixed);
    }

    const upstreamAbort = new AbortController();
    let cutReason: Cut | null = null;
    let clientGone = request.signal.aborted;
    const active: Active = {
      caller,
      cut(cut) {
        cutReason ??= cut;
        upstreamAbort.abort(new DOMException(cut.message, "AbortError"));
      },
    };
    const onClientAbort = () => {
      clientGone = true;
      upstreamAbort.abort(new DOMException("The client closed the connection", "AbortError"));
    };
    request.signal.addEventListener("abort", onClientAbort, { once: true });
    this.#active.add(active);
    const done = () => {
      this.#active.delete(active);
      request.signal.removeEventListener("abort", onClientAbort);
    };

    let lease: Lease;
    try {
      lease = await this.#deps.backends.acquire(profile, {
        signal: upstreamAbort.signal,
        model: parsed.model,
      });
    } catch (error) {
      done();
      if (clientGone) {
        finish(499, "client_closed");
        return errorResponse(
          new GatewayError(499, "invalid_request_error", "client_closed", "Client closed"),
          id,
        );
      }
      if (cutReason) return refuse(cutError(cutReason), "api_key_revoked");
      return refuse(toGatewayError(error, parsed.model));
    }
    row.cold_start = lease.coldStart;
    row.queue_ms = round(lease.queueMs);

    const tSent = performance.now();
    let upstream: UpstreamResponse;
    try {
      upstream = await upstreamRequest({
        baseUrl: lease.baseUrl,
        path: endpoint,
        headers: upstreamHeaders(incoming.request, id, parsed),
        body: typeof forwardBody === "string" ? new TextEncoder().encode(forwardBody) : forwardBody,
        signal: upstreamAbort.signal,
      });
    } catch (error) {
      lease.release();
      done();
      if (clientGone) {
        finish(499, "client_closed");
        return errorResponse(
          new GatewayError(499, "invalid_request_error", "client_closed", "Client closed"),
          id,
        );
      }
      if (cutReason) return refuse(cutError(cutReason), "api_key_revoked");
      return refuse(
        new GatewayError(
          502,
          "server_error",
          "upstream_unavailable",
          `The server of \`${profile.name}\` did not answer: ${reasonOf(error)}`,
        ),
        "upstream_error",
      );
    }

    const headers = responseHeaders(upstream.headers, id);
    if (upstream.status < 200 || upstream.status > 299) {
      const text = await new Response(upstream.body).text().catch(() => "");
      lease.release();
      done();
      const normalized = normalizeUpstreamError(upstream.status, text);
      headers.set("content-type", "application/json");
      headers.delete("content-length");
      headers.set("x-mlx-manager-error-source", "upstream");
      finish(normalized.status, "upstream_error");
      return new Response(JSON.stringify(normalized.body), { status: normalized.status, headers });
    }

    const sse = (upstream.headers.get("content-type") ?? "").startsWith("text/event-stream");
    const observer = sse ? new SseObserver() : null;
    const collected: Uint8Array[] = [];
    let collectedBytes = 0;
    const promptEstimate = () =>
      parsed.json ? estimateTokens(JSON.stringify(parsed.json.messages ?? parsed.json.input ?? "")) : null;
    const body = passthrough(upstream.body, {
      sse,
      onChunk: observer ? (chunk) => observer.feed(chunk) : (chunk) => {
        if (collectedBytes < 1_048_576) {
          collected.push(chunk);
          collectedBytes += chunk.byteLength;
        }
      },
      cutReason: () => cutReason,
      onEnd: (end) => {
        lease.release();
        done();
        const times = { received: t0, sent: tSent, ended: performance.now() };
        let upstreamError: string | null;
        if (observer) {
          upstreamError = observer.observation.error;
          Object.assign(row, streamFigures(observer.observation, times, promptEstimate));
        } else {
          const seen = observeJson(
            collectedBytes < 1_048_576 ? new TextDecoder().decode(concat(collected)) : "",
          );
          upstreamError = seen.error;
          Object.assign(row, jsonFigures(seen.usage, times));
        }
        // A client that stops reading at the server's error frame (as the openai client does) did not cause it.
        if (end === "client_closed" && upstreamError) return finish(upstream.status, "upstream_error");
        if (end === "client_closed") return finish(499, "client_closed");
        if (end === "cut") return finish(upstream.status, "api_key_revoked");
        if (end === "upstream_crashed") return finish(upstream.status, "upstream_crashed");
        finish(upstream.status, upstreamError ? "upstream_error" : "ok");
      },
    });
    return new Response(body, { status: upstream.status, headers });
  }

  /** Stops listening for revocations and ends the requests in flight. */
  close(): void {
    for (const stop of this.#stops) stop();
    for (const a of this.#active) {
      a.cut({ type: "server_error", code: "shutting_down", message: "MLX Manager is shutting down" });
    }
  }
}

function outcomeOf(error: GatewayError): Outcome {
  if (error.code === "queue_full") return "queue_full";
  if (error.code === "queue_timeout") return "queue_timeout";
  if (error.code === "model_start_failed") return "model_start_failed";
  if (error.status === 401) return "rejected_auth";
  return "rejected";
}

function cutError(cut: Cut): GatewayError {
  return new GatewayError(cut.code === "api_key_revoked" ? 401 : 503, cut.type, cut.code, cut.message);
}

function reasonOf(error: unknown): string {
  const inner = (error as { cause?: unknown })?.cause ?? error;
  const text = inner instanceof Error ? inner.message : String(inner);
  return text.split(": ").at(-1)!.replace(/\s*\(os error \d+\)$/, "").slice(0, 160);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export { errorResponse };
