/**
 * Shapes of the keys and activity APIs that islands read. Browser-safe: types only.
 *
 * @module
 */

/** An API key as `GET /api/keys` lists it. */
export interface ApiKeyItem {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  models: string[] | null;
  last_used_at: string | null;
  owner?: { id: number; email: string | null };
}

/** An activity row as `GET /api/activity` lists it. */
export interface ActivityItem {
  id: string;
  created_at: string;
  user_id: number | null;
  key_id: number | null;
  endpoint: string;
  model: string | null;
  profile_id: number | null;
  stream: boolean;
  status: number;
  outcome: string;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  tokens_estimated: boolean;
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
