/**
 * `/api/system/memory` and `/api/system/info`: memory, swap, pressure and GPU
 * now, and the machine and installed versions.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";

/** The system information API (any signed-in user). */
export const systemInfoApi = new Hono<AppEnv>();

systemInfoApi.get("/memory", async (c) => c.json(await c.var.deps.system.memory()));

systemInfoApi.get("/info", async (c) => c.json(await c.var.deps.system.info()));
