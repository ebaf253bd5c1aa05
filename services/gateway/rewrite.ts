/**
 * The only changes the gateway makes to a request body: a short list of fixes
 * for what the installed mlx-openai-server gets wrong, and the `model` field
 * as that server expects it. Pure: a body in, a body (or the same object when
 * nothing changed) out.
 *
 * The fixes for 1.5.x:
 * 1. `developer` messages become `system` messages (1.5.1 answers 422 to the role).
 * 2. `max_completion_tokens` becomes `max_tokens` when `max_tokens` is absent
 *    (1.5.1 ignores it and generates until the end of text).
 * 3. Assistant turns with `tool_calls` and `content: null` get `content: ""`
 *    (1.5.1 drops messages whose content is null, which loses the tool call).
 *
 * @module
 */

/** A parsed JSON request body. */
export type Body = Record<string, unknown>;

/** What the rewrite needs to know. */
export interface RewriteContext {
  /** The installed server's version, e.g. `"1.5.1"`; null when unknown. */
  version: string | null;
  /**
   * The name the server was started under (`--served-model-name`), which
   * every request must carry; null when the version takes any name.
   */
  servedModel: string | null;
}

function fixMessages(messages: unknown): unknown[] | null {
  if (!Array.isArray(messages)) return null;
  let changed = false;
  const fixed = messages.map((m) => {
    if (!m || typeof m !== "object") return m;
    const message = m as Body;
    if (message.role === "developer") {
      changed = true;
      return { ...message, role: "system" };
    }
    if (
      message.role === "assistant" && message.content === null && Array.isArray(message.tool_calls) &&
      message.tool_calls.length > 0
    ) {
      changed = true;
      return { ...message, content: "" };
    }
    return m;
  });
  return changed ? fixed : null;
}

/**
 * Applies the fixes to a chat (or other JSON) body. Returns the same object
 * when nothing needed fixing, so the caller can forward the original bytes.
 *
 * @example
 * ```ts
 * rewriteBody({ model: "coder", messages: [{ role: "developer", content: "Be brief" }] }, { version: "1.5.1", servedModel: null });
 * // { model: "coder", messages: [{ role: "system", content: "Be brief" }] }
 * ```
 */
export function rewriteBody(body: Body, context: RewriteContext): Body {
  let out: Body = body;
  const messages = fixMessages(body.messages);
  if (messages) out = { ...out, messages };
  if (body.max_completion_tokens !== undefined && body.max_tokens === undefined) {
    const { max_completion_tokens, ...rest } = out;
    out = { ...rest, max_tokens: max_completion_tokens };
  }
  // 1.5.x echoes any model name back, so the client sees the name it used; a server started
  // under a served name (1.7+) answers only to it (1.8 refuses any other with a 404).
  if (context.servedModel !== null && body.model !== context.servedModel) {
    out = { ...out, model: context.servedModel };
  }
  return out;
}
