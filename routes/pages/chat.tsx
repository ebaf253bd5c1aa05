/**
 * The Chat page: talk to a running model server, with saved conversations.
 *
 * @module
 */
import { Hono } from "hono";
import { renderPage } from "../render.tsx";
import type { Conversation } from "../../lib/chat/types.ts";
import { BUILTIN_TOOLS } from "../../services/chat/tools/mod.ts";
import Chat from "../../islands/Chat.tsx";
import { chatTargetList } from "../api/chat.ts";
import type { AppEnv } from "../env.ts";
import { viewFor } from "../../services/mcp/mod.ts";

/** Pages under `/chat`. */
export const chatPages = new Hono<AppEnv>();

function positive(raw: string | undefined): number | null {
  return raw && /^\d{1,15}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;
}

chatPages.get("/", (c) => {
  const { chatTargets, conversations } = c.var.deps;
  const user = c.var.user!;
  const wanted = positive(c.req.query("c"));
  const conversation: Conversation | null = wanted === null ? null : conversations.find(user.id, wanted);
  const notice = wanted !== null && !conversation
    ? "That conversation does not exist or is not yours: start a new one"
    : null;
  const targets = chatTargetList(chatTargets);
  return renderPage(
    c,
    <>
      <h1 class="sr-only">Chat</h1>
      <Chat
        targets={targets}
        tools={BUILTIN_TOOLS.map((t) => ({ ...t }))}
        mcpServers={c.var.deps.mcp.list().map((s) => viewFor(s, user))}
        conversations={conversations.list(user.id)}
        conversation={conversation}
        profileId={positive(c.req.query("profile"))}
        notice={notice}
      />
    </>,
    { title: conversation ? `${conversation.title} · Chat` : "Chat" },
  );
});
