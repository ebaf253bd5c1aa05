/**
 * `/api/mcp`: the MCP servers registry (admins change it, everyone signed in
 * reads it), `mcp.json` import and export, and the built-in tools (`GET /tools`,
 * `POST /execute`). Also the answer to a tool
 * confirmation the chat asked for (mounted at `/api/chat/tool-confirmations`).
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { idParam, readJson } from "../validate.ts";
import { AppError } from "../../lib/errors.ts";
import { adminOnly } from "../middleware/admin_only.ts";
import { BUILTIN_TOOLS, executeTool } from "../../services/chat/tools/mod.ts";
import { ExecuteInput } from "../../services/chat/schemas.ts";
import { ConfirmationInput, McpJson, McpServerInput, viewFor } from "../../services/mcp/mod.ts";
import type { AppEnv } from "../env.ts";

/** The MCP API. */
export const mcpApi = new Hono<AppEnv>();

/** Changing the registry runs programs on this Mac: admins only. */
const admin = adminOnly("Only admins can change MCP servers: they run programs on this Mac");

mcpApi.get("/tools", (c) => c.json(BUILTIN_TOOLS));

/** Runs a built-in tool; always 200 with the tool's answer, which carries `error` when it failed. */
mcpApi.post("/execute", async (c) => {
  const input = await readJson(c, ExecuteInput);
  return c.json(executeTool(input.name, input.arguments));
});

mcpApi.get("/servers", (c) => c.json(c.var.deps.mcp.list().map((s) => viewFor(s, c.var.user!))));

mcpApi.post("/servers", admin, async (c) => {
  const input = await readJson(c, McpServerInput);
  return c.json(await c.var.deps.mcp.create(input), 201);
});

mcpApi.get("/servers/:id", (c) => c.json(viewFor(c.var.deps.mcp.get(idOrBuiltin(c)), c.var.user!)));

mcpApi.get("/servers/:id/tools", (c) => c.json(c.var.deps.mcp.tools(idOrBuiltin(c))));

mcpApi.put("/servers/:id", admin, async (c) => {
  const id = serverId(c);
  const input = await readJson(c, McpServerInput);
  return c.json(await c.var.deps.mcp.update(id, input));
});

mcpApi.delete("/servers/:id", admin, async (c) => {
  await c.var.deps.mcp.remove(serverId(c));
  return c.body(null, 204);
});

mcpApi.post("/servers/:id/reconnect", admin, async (c) => {
  return c.json(await c.var.deps.mcp.reconnect(serverId(c)), 202);
});

mcpApi.post("/import", admin, async (c) => {
  const doc = await readJson(c, McpJson);
  const outcome = await c.var.deps.mcp.importJson(doc.mcpServers);
  return c.json(outcome, outcome.created.length ? 201 : 200);
});

mcpApi.get("/export", admin, (c) => {
  c.header("content-disposition", 'attachment; filename="mcp.json"');
  return c.json(c.var.deps.mcp.exportJson());
});

/** `0` names the built-in server. */
function idOrBuiltin(c: Context<AppEnv>): number {
  return c.req.param("id") === "0" ? 0 : idParam(c, "id", "MCP server");
}

/** A registered server's id: the built-in one cannot be changed. */
function serverId(c: Context<AppEnv>): number {
  if (c.req.param("id") === "0") throw new AppError("conflict", "The built-in server cannot be changed");
  return idParam(c, "id", "MCP server");
}

/** `POST /api/chat/tool-confirmations/{tool_call_id}`: the user's answer to a `tool_confirm` event. */
export const toolConfirmationsApi = new Hono<AppEnv>();

toolConfirmationsApi.post("/:id", async (c) => {
  const id = c.req.param("id");
  const input = await readJson(c, ConfirmationInput);
  if (id.length > 200 || !c.var.deps.confirmations.answer(c.var.user!.id, id, input.approve)) {
    throw new AppError(
      "not_found",
      "No tool call of yours is waiting for this answer: it may have timed out",
    );
  }
  return c.body(null, 204);
});
