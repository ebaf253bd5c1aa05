/**
 * A small tokenizer-based syntax highlighter for common languages. It splits
 * code into typed tokens; the renderer turns each into a text node inside a
 * `<span class="tok-…">`, so highlighted code can never become markup.
 *
 * @module
 */
import { isMarkup, type LanguageDef, languageDef } from "./highlight_langs.ts";

/** The kinds of token, each styled by a `tok-<kind>` class. */
export type TokenKind =
  | "plain"
  | "keyword"
  | "string"
  | "comment"
  | "number"
  | "literal"
  | "type"
  | "function"
  | "variable"
  | "property"
  | "tag"
  | "attr"
  | "inserted"
  | "deleted"
  | "meta";

/** A run of code of one kind. */
export interface Token {
  kind: TokenKind;
  text: string;
}

/** Code longer than this is shown plain: highlighting it would cost more than it helps. */
export const MAX_HIGHLIGHT_CHARS = 100_000;

function push(out: Token[], kind: TokenKind, text: string): void {
  if (!text) return;
  const last = out.at(-1);
  if (last && last.kind === kind) last.text += text;
  else out.push({ kind, text });
}

const NUMBER = /^(?:0x[\da-f_]+|0b[01_]+|0o[0-7_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:e[+-]?\d+)?)[a-z]*/i;
const WORD = /^[A-Za-z_$#@!][\w$-]*|^[A-Za-z_][\w]*/;

function code(src: string, def: LanguageDef): Token[] {
  const out: Token[] = [];
  let i = 0;
  let lineStart = true;
  while (i < src.length) {
    const rest = src.slice(i);
    const ch = src[i];
    const line = def.line.find((p) => rest.startsWith(p));
    if (line) {
      const end = src.indexOf("\n", i);
      const stop = end < 0 ? src.length : end;
      push(out, "comment", src.slice(i, stop));
      i = stop;
      continue;
    }
    const block = def.block.find(([open]) => rest.startsWith(open));
    if (block) {
      const end = src.indexOf(block[1], i + block[0].length);
      const stop = end < 0 ? src.length : end + block[1].length;
      push(out, "comment", src.slice(i, stop));
      i = stop;
      continue;
    }
    const quote = def.strings.find((q) => rest.startsWith(q));
    if (quote) {
      let j = i + quote.length;
      while (j < src.length && !src.startsWith(quote, j)) {
        if (src[j] === "\\") j++;
        else if (src[j] === "\n" && quote.length === 1 && quote !== "`") break;
        j++;
      }
      const stop = Math.min(src.length, src.startsWith(quote, j) ? j + quote.length : j);
      push(out, "string", src.slice(i, stop));
      i = stop;
      lineStart = false;
      continue;
    }
    if (def.dollarVariables && ch === "$") {
      const v = /^\$(?:\{[^}\n]*\}|[\w@?#$!*-])?[\w]*/.exec(rest)![0];
      push(out, "variable", v);
      i += v.length;
      continue;
    }
    if (def.decorators && ch === "@" && /^@[A-Za-z_]/.test(rest)) {
      const d = /^@[\w.]+/.exec(rest)![0];
      push(out, "meta", d);
      i += d.length;
      continue;
    }
    if (/\d/.test(ch) || (ch === "." && /\d/.test(src[i + 1] ?? ""))) {
      if (!/[\w$]/.test(src[i - 1] ?? "")) {
        const n = NUMBER.exec(rest)![0];
        push(out, "number", n);
        i += n.length;
        lineStart = false;
        continue;
      }
    }
    const word = WORD.exec(rest)?.[0];
    if (word && /[A-Za-z_$#@!]/.test(ch)) {
      const key = def.caseInsensitive ? word.toLowerCase() : word;
      const after = src.slice(i + word.length);
      let kind: TokenKind = "plain";
      if (def.keys && lineStart && /^\s*[:=]/.test(after)) kind = "property";
      else if (def.keywords.has(key)) kind = "keyword";
      else if (def.literals.has(key)) kind = "literal";
      else if (def.types.has(key) || (/^[A-Z][a-z]/.test(word) && !def.caseInsensitive)) kind = "type";
      else if (/^\s*\(/.test(after)) kind = "function";
      // Only plain words may contain "-" (CSS properties, shell flags); otherwise stop before it.
      const text = kind === "plain" || kind === "property" ? word : /^[^-]+/.exec(word)![0];
      push(out, kind, text);
      i += text.length;
      lineStart = false;
      continue;
    }
    push(out, "plain", ch);
    if (ch === "\n") lineStart = true;
    else if (!/\s|-/.test(ch)) lineStart = false;
    i++;
  }
  return out;
}

function markup(src: string): Token[] {
  const out: Token[] = [];
  const re =
    /<!--[\s\S]*?(?:-->|$)|<\/?[A-Za-z][\w:-]*|\/?>|"[^"]*"?|'[^']*'?|[\w:-]+(?==)|[^<>"'\w]+|[\s\S]/g;
  let inTag = false;
  for (const m of src.matchAll(re)) {
    const t = m[0];
    if (t.startsWith("<!--")) push(out, "comment", t);
    else if (/^<\/?[A-Za-z]/.test(t)) {
      inTag = true;
      push(out, "tag", t);
    } else if (/^\/?>$/.test(t) && inTag) {
      inTag = false;
      push(out, "tag", t);
    } else if (inTag && /^["']/.test(t)) push(out, "string", t);
    else if (inTag && /^[\w:-]+$/.test(t) && src[m.index! + t.length] === "=") push(out, "attr", t);
    else push(out, "plain", t);
  }
  return out;
}

function diff(src: string): Token[] {
  const out: Token[] = [];
  for (const line of src.split(/(?<=\n)/)) {
    const kind: TokenKind = line.startsWith("+")
      ? "inserted"
      : line.startsWith("-")
      ? "deleted"
      : line.startsWith("@@")
      ? "meta"
      : "plain";
    push(out, kind, line);
  }
  return out;
}

/**
 * Splits `src` into highlighted tokens for language `lang`; unknown languages
 * and very long code come back as one plain token.
 *
 * @example
 * ```ts
 * highlight("const x = 1; // one", "ts");
 * // [{kind:"keyword", text:"const"}, {kind:"plain", text:" x = "}, {kind:"number", text:"1"},
 * //  {kind:"plain", text:"; "}, {kind:"comment", text:"// one"}]
 * ```
 */
export function highlight(src: string, lang: string): Token[] {
  if (!src) return [];
  if (src.length > MAX_HIGHLIGHT_CHARS) return [{ kind: "plain", text: src }];
  if (isMarkup(lang)) return markup(src);
  if (lang === "diff" || lang === "patch") return diff(src);
  const def = languageDef(lang);
  return def ? code(src, def) : [{ kind: "plain", text: src }];
}
