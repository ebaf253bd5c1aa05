/**
 * `/api/usage`: tokens, requests, errors and first-token times per key, user
 * or model and per day, week or month, with budgets as they stand; CSV
 * export. Admins see everyone's, users their own.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { readQuery } from "../validate.ts";
import { usageCsv, UsageQuery } from "../../services/limits/usage.ts";
import type { AppEnv } from "../env.ts";

/** The usage API. */
export const usageApi = new Hono<AppEnv>();

function report(c: Context<AppEnv>) {
  return c.var.deps.limits.usage(c.var.user!, readQuery(c, UsageQuery));
}

usageApi.get("/", (c) => c.json(report(c)));

usageApi.get("/export", (c) => {
  const r = report(c);
  return new Response(usageCsv(r), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition":
        `attachment; filename="mlx-manager-usage-${r.group_by}-${r.period}-${r.since}.csv"`,
    },
  });
});
