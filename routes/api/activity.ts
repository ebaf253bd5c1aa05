/**
 * `/api/activity`: the `/v1` requests, newest first, with filters and a
 * cursor; totals per model and user; a time series for the chart; CSV
 * export; each profile's last request. Admins see everyone's, users their own.
 *
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { readQuery } from "../validate.ts";
import { ActivityQuery, activitySummary } from "../../services/gateway/activity.ts";
import type { AppEnv } from "../env.ts";

/** The activity API. */
export const activityApi = new Hono<AppEnv>();

activityApi.get("/", (c) => {
  const query = readQuery(c, ActivityQuery);
  return c.json(c.var.deps.activity.list(c.var.user!, query));
});

activityApi.get("/summary", (c) => {
  const query = readQuery(c, ActivityQuery);
  const user = c.var.user!;
  const totals = c.var.deps.activity.totals(user, query);
  const emails = new Map(
    user.isAdmin ? c.var.deps.accounts.list().map((u) => [u.id, u.email]) : [[user.id, user.email]],
  );
  return c.json({
    models: totals.models,
    users: totals.users.map((t) => ({
      ...t,
      email: typeof t.key === "number" ? emails.get(t.key) ?? null : null,
    })),
  });
});

const SeriesQuery = ActivityQuery.extend({
  bucket: z.coerce.number().int().min(10).max(86_400).default(60),
});

activityApi.get("/series", (c) => {
  const query = readQuery(c, SeriesQuery);
  return c.json(c.var.deps.activity.series(c.var.user!, query, query.bucket));
});

activityApi.get("/last", (c) => {
  return c.json(
    c.var.deps.activity.lastPerProfile().map(activitySummary),
  );
});

activityApi.get("/export", (c) => {
  const query = readQuery(c, ActivityQuery.extend({ format: z.enum(["csv"]).default("csv") }));
  const lines = c.var.deps.activity.csv(c.var.user!, query);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="mlx-manager-activity-${stamp}.csv"`,
    },
  });
});
