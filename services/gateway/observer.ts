/**
 * Watches a response beside the passthrough without changing it: when the
 * first token came (the first content, reasoning or tool-call delta; the
 * server's role-only first chunk does not count), how many deltas followed,
 * the `usage` the server reported and whether it sent an error frame.
 *
 * @module
 */

/** Token counts, from the server's usage or estimated. */
export interface Usage {
  prompt_tokens: number | null;
  completion_tokens: number | null;
  /** True when the counts were estimated (no usage from the server). */
  estimated: boolean;
}

/** What an observer saw. */
export interface Observation {
  /** `performance.now()` of the first token, or null. */
  firstTokenAt: number | null;
  /** `performance.now()` of the last token, or null. */
  lastTokenAt: number | null;
  /** Content, reasoning and tool-call deltas seen. */
  deltas: number;
  usage: { prompt_tokens: number; completion_tokens: number } | null;
  /** The message of an error frame or body the server sent, if any. */
  error: string | null;
  /** Whether `[DONE]` was seen. */
  done: boolean;
}

function hasToken(delta: Record<string, unknown> | undefined): boolean {
  if (!delta) return false;
  return (typeof delta.content === "string" && delta.content !== "") ||
    (typeof delta.reasoning_content === "string" && delta.reasoning_content !== "") ||
    (typeof delta.reasoning === "string" && delta.reasoning !== "") ||
    (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0);
}

function readUsage(value: unknown): Observation["usage"] {
  if (!value || typeof value !== "object") return null;
  const u = value as Record<string, unknown>;
  if (typeof u.completion_tokens !== "number" && typeof u.prompt_tokens !== "number") return null;
  return { prompt_tokens: Number(u.prompt_tokens ?? 0), completion_tokens: Number(u.completion_tokens ?? 0) };
}

/**
 * Observes an SSE stream chunk by chunk. Parsing is kept off the hot path:
 * a frame is parsed as JSON only until the first token was seen, and after
 * that only when it mentions `usage` with a value or an `error`.
 *
 * @example
 * ```ts
 * const seen = new SseObserver();
 * seen.feed(chunk); // for each chunk, as it is written to the client
 * seen.observation.firstTokenAt;
 * ```
 */
export class SseObserver {
  readonly observation: Observation = {
    firstTokenAt: null,
    lastTokenAt: null,
    deltas: 0,
    usage: null,
    error: null,
    done: false,
  };
  readonly #decoder = new TextDecoder();
  readonly #now: () => number;
  #buffer = "";

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Takes the next chunk of the stream. */
  feed(chunk: Uint8Array): void {
    const text = this.#buffer + this.#decoder.decode(chunk, { stream: true });
    // Walk the frames by index: slicing the rest of a large chunk once per frame would be quadratic.
    let pos = 0;
    while (true) {
      const lf = text.indexOf("\n\n", pos);
      const crlf = text.indexOf("\r\n\r\n", pos);
      const end = lf === -1 ? crlf : crlf === -1 ? lf : Math.min(lf, crlf);
      if (end === -1) break;
      this.#frame(text.substring(pos, end));
      pos = end + (end === crlf ? 4 : 2);
    }
    this.#buffer = pos === 0 ? text : text.substring(pos);
  }

  #frame(frame: string): void {
    const o = this.observation;
    // The hot path, once the first token was seen: string tests only, no JSON parsing.
    if (o.firstTokenAt !== null && !frame.includes('"error"') && !hasUsage(frame)) {
      if (frame.includes("[DONE]") && frame.trim().endsWith("[DONE]")) o.done = true;
      else if (TOKEN_FIELD.test(frame) || TOOL_CALL.test(frame)) {
        o.deltas++;
        o.lastTokenAt = this.#now();
      }
      return;
    }
    const data = frame.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) =>
      l.slice(5).replace(/^ /, "")
    ).join("\n");
    if (data === "") return;
    if (data === "[DONE]") {
      o.done = true;
      return;
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    if (parsed.error && typeof parsed.error === "object") {
      o.error = String((parsed.error as Record<string, unknown>).message ?? "error");
      return;
    }
    const choices = Array.isArray(parsed.choices) ? parsed.choices as Record<string, unknown>[] : [];
    if (choices.some((c) => hasToken(c?.delta as Record<string, unknown> | undefined))) {
      const at = this.#now();
      o.firstTokenAt ??= at;
      o.lastTokenAt = at;
      o.deltas++;
    }
    o.usage = readUsage(parsed.usage) ?? o.usage;
  }
}

const TOKEN_FIELD = /"(?:content|reasoning_content|reasoning)":\s*"[^"]/;
const TOOL_CALL = /"tool_calls":\s*\[\s*\{/;

function hasUsage(frame: string): boolean {
  const at = frame.indexOf('"usage"');
  return at !== -1 && !/^"usage":\s*null/.test(frame.slice(at, at + 16));
}

/** Reads usage and an error message from a complete JSON answer. */
export function observeJson(text: string): Pick<Observation, "usage" | "error"> {
  try {
    const parsed = JSON.parse(text);
    return {
      usage: readUsage(parsed?.usage),
      error: parsed?.error ? String(parsed.error.message ?? "error") : null,
    };
  } catch {
    return { usage: null, error: null };
  }
}

/** A rough token count of a text: a quarter of its characters. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
