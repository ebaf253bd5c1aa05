/**
 * The Profiles pages: the list, and the new and edit forms.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";

/** Pages under `/profiles`. */
export const profilesPages = new Hono<AppEnv>();
