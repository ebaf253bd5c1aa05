/**
 * Which `/v1` endpoint each model type of mlx-openai-server serves, so a
 * request for the wrong kind of model is refused before anything starts.
 *
 * @module
 */

/** The endpoints the gateway forwards, and how each reads its body. */
export const ENDPOINTS = {
  "/v1/chat/completions": { body: "json", types: ["lm", "multimodal"] },
  "/v1/embeddings": { body: "json", types: ["embeddings"] },
  "/v1/audio/transcriptions": { body: "multipart", types: ["whisper"] },
  "/v1/images/generations": { body: "json", types: ["image-generation"] },
  "/v1/images/edits": { body: "multipart", types: ["image-edit"] },
} as const satisfies Record<string, { body: "json" | "multipart"; types: readonly string[] }>;

/** A forwarded endpoint's path. */
export type Endpoint = keyof typeof ENDPOINTS;

/** Whether `path` is a forwarded endpoint. */
export function isEndpoint(path: string): path is Endpoint {
  return Object.hasOwn(ENDPOINTS, path);
}

/** The endpoints a model type serves (chat for `lm` and `multimodal`, …). */
export function endpointsFor(modelType: string): Endpoint[] {
  return (Object.keys(ENDPOINTS) as Endpoint[]).filter((e) =>
    (ENDPOINTS[e].types as readonly string[]).includes(modelType)
  );
}

/** Whether a profile of `modelType` serves `endpoint`. */
export function serves(modelType: string, endpoint: Endpoint): boolean {
  return (ENDPOINTS[endpoint].types as readonly string[]).includes(modelType);
}
