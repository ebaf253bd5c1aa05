/**
 * Shapes of the keys and activity APIs that islands read. Browser-safe: types only.
 *
 * @module
 */
import type { Limits } from "./limit_types.ts";

/** An API key as `GET /api/keys` lists it. */
export interface ApiKeyItem {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  models: string[] | null;
  last_used_at: string | null;
  /** The key's own limits (its owner's limits bind it too). */
  limits: Limits;
  owner?: { id: number; email: string | null };
}

/** Why a request ended as it did. */
export type Outcome =
  | "ok"
  | "client_closed"
  | "upstream_error"
  | "upstream_crashed"
  | "queue_full"
  | "queue_timeout"
  | "rejected_auth"
  | "rejected"
  | "model_start_failed"
  | "api_key_revoked"
  /** Refused by a key's or user's limit (rpm, tpm, max_parallel, budget). */
  | "rate_limited";

/** One `/v1` request as recorded and as `GET /api/activity` lists it. */
export interface ActivityItem {
  /** The request id, also sent as `x-request-id`. */
  id: string;
  created_at: string;
  user_id: number | null;
  key_id: number | null;
  endpoint: string;
  model: string | null;
  profile_id: number | null;
  /** The upstream that served it (another machine); null when a local profile did. */
  upstream: string | null;
  stream: boolean;
  status: number;
  outcome: Outcome;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  /** True when the token counts were estimated (the server reported no usage). */
  tokens_estimated: boolean;
  /** From receipt to the first content, reasoning or tool-call delta. */
  ttft_ms: number | null;
  tokens_per_second: number | null;
  duration_ms: number;
  queue_ms: number | null;
  cold_start: boolean;
}

/** One group of `GET /api/activity/summary`. */
export interface ActivityTotalsItem {
  key: string | number | null;
  email?: string | null;
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  avg_ttft_ms: number | null;
  avg_tokens_per_second: number | null;
}

/** One bucket of `GET /api/activity/series`. */
export interface ActivityBucketItem {
  at: string;
  requests: number;
  avg_tokens_per_second: number | null;
}
