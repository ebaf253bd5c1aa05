/**
 * The Markdown tokenizer: markdown-it with CommonMark, GitHub tables,
 * strikethrough, autolinked URLs (also bare `www.` ones) and task lists. Raw HTML is not recognised,
 * so it stays text — unless asked for, as model cards do, to find their HTML comments and drop
 * them; the rest of their HTML stays text too. A single newline is a line break, as chat answers mean it.
 *
 * @module
 */
import markdownIt from "markdown-it";
import type { MarkdownIt, Token } from "markdown-it";
import { taskLists } from "./task_lists.ts";

export type { Token };

/** How {@link tokenize} reads raw HTML. */
export interface TokenizeOptions {
  /** Mark raw HTML as `html_block` / `html_inline` tokens (still rendered as text), so comments can be left out. */
  html?: boolean;
}

const parsers = new Map<boolean, MarkdownIt>();

function create(html: boolean): MarkdownIt {
  const md = new markdownIt("default", { html, linkify: true, breaks: true, typographer: false })
    .use(taskLists);
  // GitHub links bare URLs that start with "www." but not every word with a
  // dot: "config.py" in an answer about Python is a file name, not a site.
  md.linkify.set({ fuzzyLink: true });
  const match = md.linkify.match.bind(md.linkify);
  md.linkify.match = (text: string) =>
    (match(text) ?? []).filter((m) => m.schema !== "" || /^www\./i.test(m.raw));
  return md;
}

function instance(html: boolean): MarkdownIt {
  let parser = parsers.get(html);
  if (!parser) parsers.set(html, parser = create(html));
  return parser;
}

/**
 * The block tokens of `text`; inline content sits in each `inline` token's `children`.
 *
 * @example
 * ```ts
 * tokenize("# Hi").map((t) => t.type); // ["heading_open", "inline", "heading_close"]
 * ```
 */
export function tokenize(text: string, options: TokenizeOptions = {}): Token[] {
  return instance(options.html ?? false).parse(text, {});
}
