/**
 * Syntax highlighting by highlight.js (its core and the languages people ask
 * models about most). The result is a tree of scoped runs of text, never an
 * HTML string: the renderer makes each run a text node in a `<span>`. This
 * module is loaded only when an answer first shows a code block.
 *
 * @module
 */
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import go from "highlight.js/lib/languages/go";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import shell from "highlight.js/lib/languages/shell";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";

const LANGUAGES = {
  bash,
  c,
  cpp,
  css,
  diff,
  go,
  java,
  javascript,
  json,
  markdown,
  python,
  rust,
  shell,
  sql,
  typescript,
  xml,
  yaml,
};

/** Longer code is shown plain: highlighting it on every streamed token would stall the page. */
export const MAX_HIGHLIGHT_CHARS = 20_000;
/** Nor a line longer than this (minified code, data): highlight.js takes quadratic time on one long token. */
export const MAX_HIGHLIGHT_LINE = 1_000;

function tooLong(code: string): boolean {
  if (code.length > MAX_HIGHLIGHT_CHARS) return true;
  let start = 0;
  for (let end = code.indexOf("\n"); end !== -1; end = code.indexOf("\n", start)) {
    if (end - start > MAX_HIGHLIGHT_LINE) return true;
    start = end + 1;
  }
  return code.length - start > MAX_HIGHLIGHT_LINE;
}

/** A run of code: plain text, or a scope (`keyword`, `title.function`, …) around more runs. */
export type HighlightNode = string | { scope: string | null; children: HighlightNode[] };

interface DataNode {
  scope?: string;
  children: (DataNode | string)[];
}

let registered = false;

function register(): void {
  if (registered) return;
  for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
  registered = true;
}

function convert(node: DataNode | string): HighlightNode {
  if (typeof node === "string") return node;
  return { scope: node.scope ?? null, children: node.children.map(convert) };
}

/**
 * The highlighted runs of `code` in `lang` (a name or alias such as `ts`,
 * `py`, `sh`, `html`), or `null` when the language is unknown or the code
 * (or one of its lines) too long.
 *
 * @example
 * ```ts
 * highlightCode("const x = 1;", "ts");
 * // [{ scope: "keyword", children: ["const"] }, " x = ", { scope: "number", children: ["1"] }, ";"]
 * ```
 */
export function highlightCode(code: string, lang: string): HighlightNode[] | null {
  register();
  if (!lang || tooLong(code) || !hljs.getLanguage(lang)) return null;
  const result = hljs.highlight(code, { language: lang, ignoreIllegals: true });
  // The emitter's tree is the same information as `result.value` without the HTML.
  const root = (result as unknown as { _emitter: { root: DataNode } })._emitter.root;
  return root.children.map(convert);
}
