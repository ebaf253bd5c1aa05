/**
 * Inline Markdown: code spans, emphasis, strong, strikethrough, links,
 * autolinks and hard line breaks, parsed into a small tree of plain data.
 * Raw HTML is never interpreted: `<b>` stays the text "<b>".
 *
 * @module
 */

/** An inline node. */
export type Inline =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "strong" | "em" | "del"; children: Inline[] }
  | { type: "link"; href: string; children: Inline[] }
  | { type: "br" };

/** Schemes a link may use; anything else (javascript:, data:, vbscript:) renders as text. */
const SAFE_URL = /^(https?:\/\/|mailto:)[^\s<>"]+$/i;
const PUNCTUATION = /[!-/:-@[-`{-~]/;
const MAX_DEPTH = 16;

/**
 * The URL if it is safe to link to, else null.
 *
 * @example
 * ```ts
 * safeUrl("https://deno.com"); // "https://deno.com"
 * safeUrl("javascript:alert(1)"); // null
 * ```
 */
export function safeUrl(url: string): string | null {
  const trimmed = url.trim();
  return SAFE_URL.test(trimmed) ? trimmed : null;
}

function pushText(out: Inline[], text: string): void {
  if (!text) return;
  const last = out.at(-1);
  if (last?.type === "text") last.text += text;
  else out.push({ type: "text", text });
}

/** Finds the closing delimiter of an emphasis run, skipping code spans and escapes. */
function findCloser(src: string, from: number, delim: string): number {
  for (let i = from; i < src.length; i++) {
    const ch = src[i];
    if (ch === "\\") {
      i++;
      continue;
    }
    if (ch === "`") {
      const run = /^`+/.exec(src.slice(i))![0];
      const end = src.indexOf(run, i + run.length);
      if (end > 0) i = end + run.length - 1;
      continue;
    }
    if (!src.startsWith(delim, i) || /\s/.test(src[i - 1] ?? " ")) continue;
    // "_" must not close inside a word (snake_case).
    if (delim[0] === "_" && /\w/.test(src[i + delim.length] ?? "")) continue;
    // A single "*" that is half of a "**" run belongs to a nested strong, not to this emphasis.
    if (delim.length === 1 && (src[i + 1] === delim || src[i - 1] === delim)) {
      if (src[i + 1] === delim) i++;
      continue;
    }
    return i;
  }
  return -1;
}

/** Where the bracketed label starting at `open` ends, honouring nesting and escapes. */
function closingBracket(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === "\\") i++;
    else if (src[i] === "[") depth++;
    else if (src[i] === "]" && --depth === 0) return i;
  }
  return -1;
}

/**
 * Parses inline Markdown.
 *
 * @example
 * ```ts
 * parseInline("**bold** and `code`");
 * // [{type:"strong", children:[{type:"text", text:"bold"}]}, {type:"text", text:" and "}, {type:"code", text:"code"}]
 * ```
 */
export function parseInline(src: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  if (depth > MAX_DEPTH) {
    pushText(out, src);
    return out;
  }
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    const rest = src.slice(i);
    if (ch === "\\" && PUNCTUATION.test(src[i + 1] ?? "")) {
      pushText(out, src[i + 1]);
      i += 2;
      continue;
    }
    if (ch === "\\" && src[i + 1] === "\n") {
      out.push({ type: "br" });
      i += 2;
      continue;
    }
    if (ch === "\n") {
      out.push({ type: "br" });
      i++;
      continue;
    }
    if (ch === "`") {
      const run = /^`+/.exec(rest)![0];
      const end = src.indexOf(run, i + run.length);
      if (end > 0 && src[end + run.length] !== "`") {
        let text = src.slice(i + run.length, end).replaceAll("\n", " ");
        if (/^ .*[^ ].* $/.test(text)) text = text.slice(1, -1);
        out.push({ type: "code", text });
        i = end + run.length;
        continue;
      }
      pushText(out, run);
      i += run.length;
      continue;
    }
    const delim = rest.startsWith("**")
      ? "**"
      : rest.startsWith("__")
      ? "__"
      : rest.startsWith("~~")
      ? "~~"
      : ch;
    if ("*_~".includes(ch) && (delim.length === 2 || ch !== "~")) {
      const opensWord = !/\s/.test(src[i + delim.length] ?? " ");
      const intraword = ch === "_" && /\w/.test(src[i - 1] ?? "");
      const end = opensWord && !intraword ? findCloser(src, i + delim.length + 1, delim) : -1;
      if (end > 0) {
        const type = delim === "~~" ? "del" : delim.length === 2 ? "strong" : "em";
        out.push({ type, children: parseInline(src.slice(i + delim.length, end), depth + 1) });
        i = end + delim.length;
        continue;
      }
      pushText(out, delim);
      i += delim.length;
      continue;
    }
    if (ch === "[" || (ch === "!" && src[i + 1] === "[")) {
      const open = ch === "!" ? i + 1 : i;
      const close = closingBracket(src, open);
      const target = close > 0
        ? /^\(\s*<?([^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)>?(?:\s+"[^"]*")?\s*\)/.exec(src.slice(close + 1))
        : null;
      if (target) {
        const label = src.slice(open + 1, close);
        const href = safeUrl(target[1]);
        const children = parseInline(label || target[1], depth + 1);
        // Images are shown as links: pictures from a model's answer are never fetched.
        if (href) out.push({ type: "link", href, children });
        else out.push(...children);
        i = close + 1 + target[0].length;
        continue;
      }
    }
    if (ch === "<") {
      const auto = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i.exec(rest);
      if (auto) {
        out.push({ type: "link", href: auto[1], children: [{ type: "text", text: auto[1] }] });
        i += auto[0].length;
        continue;
      }
    }
    if ((ch === "h" || ch === "H") && !/\w/.test(src[i - 1] ?? "")) {
      const bare = /^https?:\/\/[^\s<>"]+/i.exec(rest);
      if (bare) {
        const url = bare[0].replace(/[.,;:!?'")\]]+$/, "");
        out.push({ type: "link", href: url, children: [{ type: "text", text: url }] });
        i += url.length;
        continue;
      }
    }
    // Plain text up to the next character that may start something.
    const plain = /^[^\\\n`*_~[!<hH]+/.exec(rest);
    const take = plain ? plain[0].length : 1;
    pushText(out, src.slice(i, i + take));
    i += take;
  }
  return out;
}
