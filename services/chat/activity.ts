/**
 * The activity row of one chat-page request: each round the chat streams
 * from a profile's server is recorded like a `/v1` request (endpoint
 * `chat`), with who asked, the profile, the tokens, the time to first token
 * and how it ended. Pure: the chat service hands it to the activity log.
 *
 * @module
 */
import type { ActivityItem } from "../../lib/gateway_types.ts";
import type { MessageMetrics } from "../../lib/chat/types.ts";
import type { ChatTarget } from "./targets.ts";

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
  /** The server was not running: nothing was sent. */
  | { kind: "not_running" };

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
}): ActivityItem {
  const { metrics, end } = input;
  const [status, outcome] = end.kind === "ok"
    ? [200, "ok" as const]
    : end.kind === "aborted"
    ? [499, "client_closed" as const]
    : end.kind === "error"
    ? [502, "upstream_error" as const]
    : [503, "rejected" as const];
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
    queue_ms: null,
    cold_start: false,
  };
}
