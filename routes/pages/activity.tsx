/**
 * The Activity page: `/v1` requests, live (admins: everyone's; users: their own).
 *
 * @module
 */
import { Hono } from "hono";
import { renderPage } from "../render.tsx";
import ActivityView from "../../islands/ActivityView.tsx";
import UsageView from "../../islands/UsageView.tsx";
import type { AppEnv } from "../env.ts";

/** Pages under `/activity`. */
export const activityPages = new Hono<AppEnv>();

activityPages.get("/", (c) => {
  const { activity, accounts, limits } = c.var.deps;
  const user = c.var.user!;
  const page = activity.list(user, { limit: 50 });
  const totals = activity.totals(user, {});
  const emails = new Map(accounts.list().map((u) => [u.id, u.email]));
  const since = new Date(Date.now() - 3_600_000).toISOString();
  return renderPage(
    c,
    <>
      <div class="mb-4">
        <h1 class="page-title">Activity</h1>
        <p class="muted text-sm">
          Requests to the OpenAI endpoint{user.isAdmin ? " from everyone" : " you made"}, live. Prompts are
          never recorded.
        </p>
      </div>
      <ActivityView
        rows={page.data}
        nextCursor={page.next_cursor}
        totals={{
          models: totals.models,
          users: totals.users.map((t) => ({
            ...t,
            email: typeof t.key === "number" && user.isAdmin ? emails.get(t.key) ?? null : null,
          })),
        }}
        series={activity.series(user, { since }, 60)}
        admin={user.isAdmin}
        machines={c.var.deps.upstreams.machines().map((m) => m.name)}
      />
      <div class="mt-8">
        <UsageView
          reports={{
            model: limits.usage(user, { group_by: "model", period: "day" }),
            key: limits.usage(user, { group_by: "key", period: "day" }),
            user: user.isAdmin ? limits.usage(user, { group_by: "user", period: "day" }) : null,
          }}
          admin={user.isAdmin}
        />
      </div>
    </>,
    { title: "Activity" },
  );
});
