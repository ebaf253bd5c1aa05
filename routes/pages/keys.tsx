/**
 * The Keys page: the signed-in user's API keys for `/v1` (admins: everyone's).
 *
 * @module
 */
import { Hono } from "hono";
import { renderPage } from "../render.tsx";
import KeysManager from "../../islands/KeysManager.tsx";
import AgentSetups from "../../islands/AgentSetups.tsx";
import { namesOf } from "../../services/gateway/names.ts";
import type { AppEnv } from "../env.ts";

/** Pages under `/keys`. */
export const keysPages = new Hono<AppEnv>();

keysPages.get("/", (c) => {
  const { keys, profiles, accounts } = c.var.deps;
  const user = c.var.user!;
  const base = `${new URL(c.req.url).origin}/v1`;
  return renderPage(
    c,
    <>
      <div class="mb-4">
        <h1 class="page-title">API keys</h1>
        <p class="muted text-sm">
          Keys let tools such as Claude Code, Codex, OpenCode, Continue, Open WebUI or the{" "}
          <code class="mono">openai</code> SDK use <code class="mono">{base}</code>.
        </p>
      </div>
      <KeysManager
        keys={keys.list(user, { all: user.isAdmin })}
        models={profiles.list().flatMap(namesOf)}
        all={user.isAdmin}
        bound={user.isAdmin ? null : accounts.get(user.id).limits}
      />
      <AgentSetups baseUrl={base} model={profiles.list()[0]?.name ?? "MODEL_NAME"} />
    </>,
    { title: "API keys" },
  );
});
