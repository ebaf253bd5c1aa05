/**
 * `/api/mcp`: the built-in tools (the reference's names). Not the MCP
 * protocol: two local tools for trying tool-capable models.
 *
 * @module
 */
import { Hono } from "hono";
import { readJson } from "../../lib/validate.ts";
import { BUILTIN_TOOLS, executeTool } from "../../services/chat/tools/mod.ts";
import { ExecuteInput } from "../../services/chat/schemas.ts";
import type { AppEnv } from "../env.ts";

/** The tools API. */
export const mcpApi = new Hono<AppEnv>();

mcpApi.get("/tools", (c) => c.json(BUILTIN_TOOLS));

/** Runs a tool; always 200 with the tool's answer, which carries `error` when it failed. */
mcpApi.post("/execute", async (c) => {
  const input = await readJson(c, ExecuteInput);
  return c.json(executeTool(input.name, input.arguments));
});
