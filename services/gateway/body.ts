/**
 * Reading a `/v1` request body: size limits, JSON or multipart, and the
 * `model` and `stream` fields the gateway routes by. The bytes are kept as
 * they came, so an unchanged body is forwarded unchanged.
 *
 * @module
 */
import { badRequest, requestTooLarge } from "./errors.ts";
import { type Endpoint, ENDPOINTS } from "./endpoints.ts";
import { BODY_LIMITS } from "../../lib/body_limits.ts";

/** The deepest nesting of arrays and objects a JSON body may have (a tool's schema needs a few dozen). */
export const MAX_JSON_DEPTH = 100;

/**
 * Whether JSON text nests arrays and objects at most `max` deep, read before
 * parsing: a body of a million `[` would otherwise overflow the stack of
 * whatever walks it later (the rewrite, the observer, the model server).
 */
export function jsonDepthWithin(bytes: Uint8Array, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c) i++; // a backslash: the next byte is escaped
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > max) return false;
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return true;
}

/** A request body as the gateway reads it. */
export interface ParsedBody {
  raw: Uint8Array;
  json: Record<string, unknown> | null;
  model: string;
  stream: boolean;
  contentType: string;
}

async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  const tooLarge = () => requestTooLarge(limit);
  if (declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    parts.push(chunk);
  }
  return concat(parts);
}

/** Reads and checks the body of a request for `endpoint`. */
export async function readBody(request: Request, endpoint: Endpoint): Promise<ParsedBody> {
  const contentType = request.headers.get("content-type") ?? "";
  if (ENDPOINTS[endpoint].body === "multipart") {
    if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
      throw badRequest("invalid_request", `${endpoint} takes a multipart/form-data body`);
    }
    const raw = await readLimited(request, BODY_LIMITS.gatewayMultipart);
    let form: FormData;
    try {
      form = await new Response(raw as Uint8Array<ArrayBuffer>, { headers: { "content-type": contentType } })
        .formData();
    } catch {
      throw badRequest("invalid_request", "The multipart body cannot be read");
    }
    const model = form.get("model");
    if (typeof model !== "string" || model.trim() === "") {
      throw badRequest("missing_required_parameter", "The form field `model` is required", "model");
    }
    return { raw, json: null, model: model.trim(), stream: form.get("stream") === "true", contentType };
  }
  const raw = await readLimited(request, BODY_LIMITS.gatewayJson);
  if (!jsonDepthWithin(raw)) {
    throw badRequest(
      "invalid_json",
      `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} deep`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw badRequest("invalid_json", "The request body is not valid JSON");
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) {
    throw badRequest("invalid_request", "The request body must be a JSON object");
  }
  const body = json as Record<string, unknown>;
  if (typeof body.model !== "string" || body.model.trim() === "") {
    throw badRequest("missing_required_parameter", "You must provide a model parameter", "model");
  }
  return { raw, json: body, model: body.model.trim(), stream: body.stream === true, contentType };
}

/** Joins byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
