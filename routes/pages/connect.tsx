/**
 * The dashboard's parts about the OpenAI endpoint: the Connect card and each
 * server's last request, with the data they start from.
 *
 * @module
 */
import type { Context } from "hono";
import ConnectCard from "../../islands/ConnectCard.tsx";
import LastRequests from "../../islands/LastRequests.tsx";
import type { AppEnv } from "../env.ts";

/** The Connect card with this manager's base URL and a model name. */
export function ConnectSection({ c }: { c: Context<AppEnv> }) {
  const first = c.var.deps.profiles.list().find((p) =>
    p.model_type === "lm" || p.model_type === "multimodal"
  );
  return <ConnectCard baseUrl={`${new URL(c.req.url).origin}/v1`} model={first?.name ?? "MODEL_NAME"} />;
}

/** Each server's last `/v1` request. */
export function LastRequestsSection({ c }: { c: Context<AppEnv> }) {
  const { profiles, activity } = c.var.deps;
  const last = activity.lastPerProfile().map((r) => ({
    id: r.id,
    created_at: r.created_at,
    profile_id: r.profile_id,
    model: r.model,
    endpoint: r.endpoint,
    status: r.status,
    outcome: r.outcome,
    duration_ms: r.duration_ms,
    ttft_ms: r.ttft_ms,
    tokens_per_second: r.tokens_per_second,
    completion_tokens: r.completion_tokens,
  }));
  return <LastRequests profiles={profiles.list().map(({ id, name }) => ({ id, name }))} last={last} />;
}
