/**
 * What a model server's error answer says, read from the shapes
 * mlx-openai-server, FastAPI and OpenAI-compatible servers use: OpenAI's
 * `{"error":{…}}`, FastAPI's `{"detail":{"error":{…}}}`, a 422 validation
 * list `{"detail":[{loc, msg}]}`, a plain `{"detail":"…"}`, or bare text. The
 * gateway answers it in a protocol's shape and the chat says it in a sentence;
 * both read it here. Pure.
 *
 * @module
 */

/** An upstream error, read. */
export interface UpstreamErrorInfo {
  /** How the body was shaped: an error object, a validation list, or only words (`detail` or text). */
  shape: "error" | "validation" | "text";
  /** The server's own words: the error's message, the validation items joined, the detail or the text. */
  message: string;
  /** The error object's `type`, as sent. */
  type: string | null;
  /** The error object's `code`, as sent (a number becomes its digits). */
  code: string | null;
  /**
   * The parameter at fault: the error's `param`, or the first validation
   * item's location written as a path (`messages[0].role`).
   */
  param: string | null;
}

function text(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return null;
}

/**
 * A validation location as a path: `["body", "messages", 0, "role"]` →
 * `messages[0].role` (the `body` prefix dropped).
 *
 * @example
 * ```ts
 * locationPath(["body", "messages", 0, "role"]); // "messages[0].role"
 * ```
 */
export function locationPath(loc: readonly unknown[]): string {
  return loc.filter((p) => p !== "body").reduce<string>(
    (acc, part) => typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${part}` : String(part),
    "",
  );
}

/**
 * Reads an error answer's body.
 *
 * @example
 * ```ts
 * readUpstreamError('{"detail":[{"loc":["body","messages",0,"role"],"msg":"bad"}]}');
 * // { shape: "validation", message: "messages[0].role: bad", type: null, code: null, param: "messages[0].role" }
 * ```
 */
export function readUpstreamError(raw: string): UpstreamErrorInfo {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(raw);
  } catch { /* not JSON */ }
  const record = parsed && typeof parsed === "object" ? parsed as Record<string, unknown> : null;
  const detail = record?.detail;
  if (Array.isArray(detail)) {
    const items = detail.map((d) => ({
      param: Array.isArray(d?.loc) ? locationPath(d.loc) : "",
      msg: text(d?.msg) ?? JSON.stringify(d),
    }));
    return {
      shape: "validation",
      message: items.map((i) => i.param ? `${i.param}: ${i.msg}` : i.msg).join("; "),
      type: null,
      code: null,
      param: items[0]?.param || null,
    };
  }
  const inner = (detail && typeof detail === "object" ? (detail as Record<string, unknown>).error : null) ??
    record?.error;
  if (inner && typeof inner === "object") {
    const e = inner as Record<string, unknown>;
    return {
      shape: "error",
      message: text(e.message) ?? "",
      type: text(e.type),
      code: text(e.code),
      param: text(e.param),
    };
  }
  return {
    shape: "text",
    message: text(detail) ?? text(inner) ?? text(record?.message) ?? raw.trim().slice(0, 500),
    type: null,
    code: null,
    param: null,
  };
}
