/**
 * `/api/conversations`: the signed-in user's saved chats. Another user's
 * conversation answers 404, exactly like one that does not exist.
 *
 * @module
 */
import { Hono } from "hono";
import { idParam, readJson, readQuery } from "../validate.ts";
import {
  CreateConversationInput,
  ExportQuery,
  ListConversationsQuery,
  UpdateConversationInput,
} from "../../services/chat/schemas.ts";
import { exportFileName, toJsonExport, toMarkdown } from "../../services/chat/export.ts";
import type { AppEnv } from "../env.ts";

/** The conversations API. */
export const conversationsApi = new Hono<AppEnv>();

conversationsApi.get("/", (c) => {
  const query = readQuery(c, ListConversationsQuery);
  return c.json(c.var.deps.conversations.list(c.var.user!.id, query));
});

conversationsApi.post("/", async (c) => {
  const input = await readJson(c, CreateConversationInput);
  const created = c.var.deps.conversations.create(c.var.user!.id, {
    title: input.title,
    systemPrompt: input.system_prompt,
    profileId: input.profile_id,
  });
  return c.json(created, 201);
});

conversationsApi.get("/:id", (c) => {
  const id = idParam(c, "id", "Conversation");
  return c.json(c.var.deps.conversations.get(c.var.user!.id, id));
});

conversationsApi.patch("/:id", async (c) => {
  const id = idParam(c, "id", "Conversation");
  const input = await readJson(c, UpdateConversationInput);
  return c.json(
    c.var.deps.conversations.update(c.var.user!.id, id, {
      title: input.title,
      systemPrompt: input.system_prompt,
    }),
  );
});

conversationsApi.delete("/:id", (c) => {
  c.var.deps.conversations.remove(c.var.user!.id, idParam(c, "id", "Conversation"));
  return c.body(null, 204);
});

conversationsApi.get("/:id/export", (c) => {
  const id = idParam(c, "id", "Conversation");
  const { format } = readQuery(c, ExportQuery);
  const conversation = c.var.deps.conversations.get(c.var.user!.id, id);
  const json = format === "json";
  const name = exportFileName(conversation, json ? "json" : "md");
  return c.body(json ? toJsonExport(conversation) : toMarkdown(conversation), 200, {
    "content-type": json ? "application/json; charset=utf-8" : "text/markdown; charset=utf-8",
    "content-disposition": `attachment; filename="${name}"`,
    "cache-control": "no-store",
  });
});
