/**
 * The Markdown tokenizer: markdown-it with CommonMark, GitHub tables,
 * strikethrough, autolinked URLs (also bare `www.` ones) and task lists. Raw HTML is not recognised,
 * so it stays text. A single newline is a line break, as chat answers mean it.
 *
 * @module
 */
import markdownIt from "markdown-it";
import type { MarkdownIt, Token } from "markdown-it";
import { taskLists } from "./task_lists.ts";

export type { Token };

let parser: MarkdownIt | null = null;

function create(): MarkdownIt {
  const md = new markdownIt("default", { html: false, linkify: true, breaks: true, typographer: false })
    .use(taskLists);
  // GitHub links bare URLs that start with "www." but not every word with a
  // dot: "config.py" in an answer about Python is a file name, not a site.
  md.linkify.set({ fuzzyLink: true });
  const match = md.linkify.match.bind(md.linkify);
  md.linkify.match = (text: string) =>
    (match(text) ?? []).filter((m) => m.schema !== "" || /^www\./i.test(m.raw));
  return md;
}

function instance(): MarkdownIt {
  parser ??= create();
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
export function tokenize(text: string): Token[] {
  return instance().parse(text, {});
}
