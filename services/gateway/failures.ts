/**
 * Which refusal of the catalogue answers a request that could not be opened
 * on a source, or that the gateway ended itself, and how the row names the
 * source.
 *
 * @module
 */
import { AppError } from "../../lib/errors.ts";
import {
  ClosedError,
  ConnectError,
  connectionReason,
  HeadersTimeoutError,
  HeadTooLargeError,
} from "../platform/http1/mod.ts";
import {
  GatewayError,
  headTooLarge,
  isRefusalCode,
  refusal,
  toGatewayError,
  upstreamError,
  upstreamTimeout,
  upstreamUnavailable,
} from "./errors.ts";
import type { Cut } from "./passthrough.ts";
import type { RequestRecord } from "./record.ts";
import type { Source } from "./sources.ts";
import type { UpstreamAccess } from "./open.ts";

/** Notes in the row which source the request went to. */
export function noteSource(record: RequestRecord, source: Source): void {
  record.row.profile_id = source.type === "local" ? source.profile.id : null;
  record.row.upstream = source.type === "remote" ? source.upstream.name : null;
}

/** How a refusal names the source, e.g. "The upstream `studio`". */
function sourceName(source: Source): string {
  return source.type === "remote"
    ? `The upstream \`${source.upstream.name}\``
    : `The server of \`${source.profile.name}\``;
}

/** The refusal for a request that could not be opened on `source`. */
export function openFailure(
  error: unknown,
  source: Source,
  model: string,
  upstreams?: UpstreamAccess,
): GatewayError {
  // The supervisor's refusals (queue full, start failed, …) keep their own codes.
  if (error instanceof AppError || error instanceof GatewayError) return toGatewayError(error, model);
  const who = sourceName(source);
  if (error instanceof ConnectError) {
    // An upstream is worth another try once its connect timeout has passed; a local server once restarted.
    const seconds = source.type === "remote" ? (upstreams?.connectTimeoutMs ?? 10_000) / 1000 : 1;
    return upstreamUnavailable(who, error.message, seconds, error);
  }
  if (error instanceof HeadersTimeoutError) {
    return upstreamTimeout(who, Math.round(error.timeoutMs / 1000), error);
  }
  if (error instanceof HeadTooLargeError) return headTooLarge(who, error.limitBytes, error);
  const reason = error instanceof ClosedError && !error.cause ? error.message : connectionReason(error);
  return upstreamError(who, reason, error);
}

/** The refusal for a request the gateway cut before it was answered (a revoked key, a shutdown). */
export function cutError(cut: Cut): GatewayError {
  return refusal(isRefusalCode(cut.code) ? cut.code : "shutting_down", cut.message);
}
