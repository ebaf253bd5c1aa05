/**
 * The activity row of one chat-page request: each round the chat streams
 * from a profile's server is recorded like a `/v1` request (endpoint
 * `chat`), with who asked, the profile, the tokens, the time to first token
 * and how it ended. Pure: the chat service hands it to the activity log.
 *
 * @module
 */
import type { ActivityItem, Outcome } from "../../lib/gateway_types.ts";
import type { MessageMetrics } from "../../lib/chat/types.ts";
import { AppError } from "../../lib/errors.ts";
import type { ChatTarget, Lease } from "./targets.ts";

/** The endpoint chat-page requests are recorded under. */
export const CHAT_ENDPOINT = "chat";

/** Where the chat records its requests (the gateway's activity log). */
export interface ChatActivitySink {
  record(row: ActivityItem): void;
}

/** How a chat round ended, as the row tells it. */
export type ChatRoundEnd =
  | { kind: "ok" }
  | { kind: "aborted" }
  | { kind: "error" }
  /** No lease was given (a full queue, a start that failed, …): nothing was sent. */
  | { kind: "refused"; error: unknown };

/**
 * The status and outcome of a refused lease, as a `/v1` request's row would
 * have them.
 *
 * @example
 * ```ts
 * refusalOutcome(new AppError("rate_limited", "full", { reason: "queue_full" })); // [429, "queue_full"]
 * ```
 */
export function refusalOutcome(error: unknown): [number, Outcome] {
  const reason = error instanceof AppError ? error.reason : undefined;
  if (reason === "queue_full") return [429, "queue_full"];
  if (reason === "queue_timeout" || reason === "model_start_failed") return [503, reason];
  return [error instanceof AppError && error.code === "not_found" ? 404 : 503, "rejected"];
}

/**
 * The row of one chat round.
 *
 * @example
 * ```ts
 * chatActivityRow({ userId: 1, target, metrics, end: { kind: "ok" }, at: new Date() }).outcome; // "ok"
 * ```
 */
export function chatActivityRow(input: {
  userId: number;
  target: Pick<ChatTarget, "profileId" | "name">;
  metrics: MessageMetrics | null;
  end: ChatRoundEnd;
  at: Date;
  /** The turn's lease, on the row of its first round (the wait and the start belong to it). */
  lease?: Pick<Lease, "queueMs" | "coldStart">;
}): ActivityItem {
  const { metrics, end, lease } = input;
  const [status, outcome]: [number, Outcome] = end.kind === "ok"
    ? [200, "ok"]
    : end.kind === "aborted"
    ? [499, "client_closed"]
    : end.kind === "error"
    ? [502, "upstream_error"]
    : refusalOutcome(end.error);
  return {
    id: `req_${crypto.randomUUID().replaceAll("-", "")}`,
    created_at: input.at.toISOString(),
    user_id: input.userId,
    key_id: null,
    endpoint: CHAT_ENDPOINT,
    model: input.target.name,
    profile_id: input.target.profileId,
    upstream: null,
    stream: true,
    status,
    outcome,
    prompt_tokens: metrics?.prompt_tokens ?? null,
    completion_tokens: metrics?.completion_tokens ?? null,
    tokens_estimated: metrics?.estimated === true,
    ttft_ms: metrics?.ttft_ms ?? null,
    tokens_per_second: metrics?.tokens_per_second ?? null,
    duration_ms: metrics?.duration_ms ?? 0,
    queue_ms: lease?.queueMs ?? null,
    cold_start: lease?.coldStart ?? false,
  };
}
