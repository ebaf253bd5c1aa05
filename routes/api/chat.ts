/**
 * `/api/chat`: the streaming chat proxy (`POST /completions`) and the list of
 * profiles it can talk to.
 *
 * @module
 */
import { Hono } from "hono";
import { idParam, readJson } from "../validate.ts";
import { AppError, HttpError } from "../../lib/errors.ts";
import { sseResponse } from "../../lib/sse.ts";
import { streamOptions } from "../streams.ts";
import type { ChatTargetInfo } from "../../lib/chat/types.ts";
import type { ChatTarget, ChatTargets } from "../../services/chat/targets.ts";
import { serves } from "../../services/gateway/endpoints.ts";
import { ChatRequest } from "../../services/chat/schemas.ts";
import type { AppEnv } from "../env.ts";

/** The chat API. */
export const chatApi = new Hono<AppEnv>();

/** A target as the API shows it (no addresses: the browser never talks to model servers). */
export function targetInfo(t: ChatTarget): ChatTargetInfo {
  return {
    profile_id: t.profileId,
    name: t.name,
    model: t.modelId,
    model_type: t.modelType,
    system_prompt: t.systemPrompt,
    state: t.state,
  };
}

/**
 * The profiles the Chat page lists, by name: those whose model type answers
 * chat completions (an embeddings or image model cannot be chatted with).
 */
export function chatTargetList(targets: ChatTargets): ChatTargetInfo[] {
  return targets.list()
    .filter((t) => serves(t.modelType, "/v1/chat/completions"))
    .map(targetInfo)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Streams the answer as `data: {json}` events (see `lib/chat/types.ts`).
 * An unknown profile or conversation is a 404 before the stream starts;
 * everything that fails later is one `error` event, then the stream ends.
 */
chatApi.post("/completions", async (c) => {
  const request = await readJson(c, ChatRequest);
  const { chat } = c.var.deps;
  const turn = chat.prepare(c.var.user!.id, request);
  return sseResponse((sse) => {
    chat.run(turn, (event) => sse.send({ data: event }), sse.signal).finally(() => sse.close());
  }, streamOptions(c));
});

chatApi.get("/targets", (c) => c.json(chatTargetList(c.var.deps.chatTargets)));

chatApi.post("/targets/:id/start", async (c) => {
  const id = idParam(c, "id", "Profile");
  const targets = c.var.deps.chatTargets;
  if (!targets.get(id)) throw new HttpError(404, "Profile not found");
  try {
    await targets.start(id);
  } catch (error) {
    // A domain error keeps its code (and Retry-After); anything else is a start that did not happen.
    if (error instanceof HttpError || error instanceof AppError) throw error;
    throw new HttpError(409, (error as Error).message);
  }
  return c.json(targetInfo(targets.get(id)!), 202);
});
