/**
 * What the gateway answers when a request could not be opened on a source,
 * or was ended by the gateway itself, and how the row names the source.
 *
 * @module
 */
import type { Outcome } from "../../db/activity.ts";
import { AppError } from "../../lib/errors.ts";
import { GatewayError, toGatewayError } from "./errors.ts";
import type { Cut } from "./passthrough.ts";
import type { RequestRecord } from "./record.ts";
import type { Source } from "./sources.ts";
import type { UpstreamAccess } from "./open.ts";
import { ConnectError, connectionReason, HeadersTimeoutError } from "../platform/http1/mod.ts";

/** Notes in the row which source the request went to. */
export function noteSource(record: RequestRecord, source: Source): void {
  record.row.profile_id = source.type === "local" ? source.profile.id : null;
  record.row.upstream = source.type === "remote" ? source.upstream.name : null;
}

/** The refusal for a request that could not be opened on `source`, and the outcome to record. */
export function openFailure(
  error: unknown,
  source: Source,
  model: string,
  upstreams?: UpstreamAccess,
): { error: GatewayError; outcome?: Outcome } {
  // The supervisor's refusals (queue full, start failed, …) keep their own codes.
  if (error instanceof AppError || error instanceof GatewayError) {
    return { error: toGatewayError(error, model) };
  }
  if (source.type === "remote" && error instanceof ConnectError) {
    const seconds = Math.max(1, Math.ceil((upstreams?.connectTimeoutMs ?? 10_000) / 1000));
    return {
      error: new GatewayError(
        503,
        "server_error",
        "upstream_unavailable",
        `The upstream \`${source.upstream.name}\` cannot be reached (${error.message}); try again shortly`,
        {
          headers: { "Retry-After": String(seconds), "retry-after-ms": String(seconds * 1000) },
          cause: error,
        },
      ),
      outcome: "upstream_error",
    };
  }
  if (source.type === "remote" && error instanceof HeadersTimeoutError) {
    return {
      error: new GatewayError(
        504,
        "server_error",
        "upstream_timeout",
        `The upstream \`${source.upstream.name}\` accepted the request but did not begin its answer within ` +
          `${
            Math.round(error.timeoutMs / 1000)
          } s (MLX_MANAGER_UPSTREAM_ANSWER_TIMEOUT); try again later or ` +
          `check that machine`,
        { cause: error },
      ),
      outcome: "upstream_error",
    };
  }
  const who = source.type === "remote"
    ? `The upstream \`${source.upstream.name}\``
    : `The server of \`${source.profile.name}\``;
  return {
    error: new GatewayError(
      502,
      "server_error",
      "upstream_unavailable",
      `${who} did not answer: ${connectionReason(error)}`,
      {
        cause: error,
      },
    ),
    outcome: "upstream_error",
  };
}

/** The refusal for a request the gateway cut before it was answered (a revoked key, a shutdown). */
export function cutError(cut: Cut): GatewayError {
  return cut.code === "api_key_revoked"
    ? new GatewayError(401, cut.type, cut.code, cut.message, { kind: "unauthenticated" })
    : new GatewayError(503, cut.type, cut.code, cut.message, { kind: "unavailable" });
}
