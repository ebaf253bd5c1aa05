/**
 * Activity rows for tests that fill the Activity log directly.
 *
 * @module
 */
import type { ActivityRow } from "../../services/gateway/activity.ts";

/**
 * A finished chat request `req_<n>`, made on 2026-01-01 at 00:<n> unless
 * `fields` say otherwise.
 *
 * @example
 * ```ts
 * rt.deps.activity.record(activityRow(1, { model: "writer", status: 429 }));
 * ```
 */
export function activityRow(n: number, fields: Partial<ActivityRow> = {}): ActivityRow {
  return {
    id: `req_${n}`,
    created_at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    user_id: null,
    key_id: null,
    endpoint: "/v1/chat/completions",
    model: "coder",
    profile_id: 1,
    upstream: null,
    stream: true,
    status: 200,
    outcome: "ok",
    prompt_tokens: 10,
    completion_tokens: 20,
    tokens_estimated: false,
    ttft_ms: 12.5,
    tokens_per_second: 40,
    duration_ms: 500,
    queue_ms: 1,
    cold_start: false,
    ...fields,
  };
}
