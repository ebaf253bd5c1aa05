/**
 * `GET /api/system/parser-options`: the parser, converter and model-type
 * lists of the installed mlx-openai-server, for the profile form.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";

/** The parser-options API, mounted at `/api/system/parser-options`. */
export const parserOptionsApi = new Hono<AppEnv>();

parserOptionsApi.get("/", async (c) => c.json(await c.var.deps.profiles.options()));
