/**
 * Input schema of the upstreams API.
 *
 * @module
 */
import { z } from "zod";
import { UPSTREAM_KINDS } from "../../lib/upstream_types.ts";

/** Why a base URL is refused, or null when it is acceptable. */
export function baseUrlProblem(value: string): string | null {
  if (!URL.canParse(value)) return "base_url must be a URL such as http://mac-studio.local:8080/v1";
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return "base_url must start with http:// or https://";
  }
  if (url.username || url.password) return "base_url cannot hold a user or password: put the key in api_key";
  if (url.search || url.hash) return "base_url cannot have a query or a fragment";
  if (!/\/v1$/.test(url.pathname)) {
    return "base_url must be the OpenAI base URL as clients configure it, ending in /v1 (e.g. http://mac-studio.local:8080/v1)";
  }
  return null;
}

const Name = z.string({ error: "name is required" }).trim()
  .min(1, "name is required")
  .max(64, "name must be at most 64 characters")
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    "name may hold letters, digits, _ . and - (it prefixes the models' names: name/model)",
  )
  // The Activity page's machine filter calls this machine "local".
  .refine((n) => n.toLowerCase() !== "local", 'name cannot be "local": it stands for this machine');

const BaseUrl = z.string({ error: "base_url is required" }).trim().max(2048, "base_url is too long")
  // One trailing slash is what people paste; the stored form has none.
  .transform((u) => u.replace(/\/$/, ""))
  .superRefine((u, ctx) => {
    const problem = baseUrlProblem(u);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const ApiKey = z.string({ error: "api_key must be a string" }).max(4096, "api_key is too long")
  .regex(/^[^\s]*$/, "api_key cannot hold spaces or line breaks");

const Models = z.union([
  z.literal("discover"),
  z.array(
    z.string().trim().min(1, "model names cannot be empty").max(
      200,
      "model names are at most 200 characters",
    ),
    { error: 'models must be "discover" or a list of model names' },
  ).min(1, 'list at least one model, or use "discover"').max(1000),
], { error: 'models must be "discover" or a list of model names' });

/**
 * `POST /api/upstreams` and `PUT /api/upstreams/{id}`. On PUT an absent
 * `api_key` keeps the stored key; `null` or `""` removes it.
 */
export const UpstreamInput = z.object({
  name: Name,
  kind: z.enum(UPSTREAM_KINDS as [string, ...string[]], {
    error: 'kind must be "mlx-manager", "exo" or "openai"',
  }) as z.ZodType<"mlx-manager" | "exo" | "openai">,
  base_url: BaseUrl,
  api_key: ApiKey.nullable().optional(),
  models: Models.default("discover"),
  enabled: z.boolean({ error: "enabled must be true or false" }).default(true),
});

/** A validated upstream definition. */
export type UpstreamInput = z.output<typeof UpstreamInput>;
