/**
 * Turns markdown-it tokens into Preact elements — text only ever becomes text
 * nodes, never HTML — so a model answering with `<script>` or `<img onerror>`
 * shows those characters and runs nothing. Only elements from a fixed list
 * are made, with only the attributes chosen here. Browser-safe.
 *
 * @module
 */
import { type ComponentChildren, h, type VNode } from "preact";
import { type Token, tokenize } from "./parser.ts";
import { safeHref, safeSrc } from "./urls.ts";
import { CodeBlock } from "./code_block.tsx";

/** Tags a block or inline token may open, and the element each becomes. */
const ELEMENTS: Record<string, string> = {
  p: "p",
  blockquote: "blockquote",
  ul: "ul",
  ol: "ol",
  li: "li",
  table: "table",
  thead: "thead",
  tbody: "tbody",
  tr: "tr",
  th: "th",
  td: "td",
  em: "em",
  strong: "strong",
  s: "del",
  a: "a",
  h1: "h3",
  h2: "h4",
  h3: "h5",
  h4: "h6",
  h5: "h6",
  h6: "h6",
};

interface Frame {
  token: Token | null;
  children: ComponentChildren[];
}

function alignClass(token: Token): string {
  const style = String(token.attrGet("style") ?? "");
  return style.includes("center") ? "text-center" : style.includes("right") ? "text-right" : "text-left";
}

/** The element an opening token and its finished children become. */
function element(open: Token, children: ComponentChildren[]): ComponentChildren {
  const tag = ELEMENTS[open.tag];
  if (!tag) return children;
  switch (open.tag) {
    case "a": {
      const href = safeHref(String(open.attrGet("href") ?? ""));
      if (href === null) return children;
      return h(
        "a",
        { href, target: "_blank", rel: "noopener noreferrer nofollow", class: "md-link" },
        children,
      );
    }
    case "ol": {
      const start = Number(open.attrGet("start") ?? "1");
      return h("ol", { start: start === 1 ? undefined : start }, children);
    }
    case "li": {
      const task = (open.meta as { task?: string } | null)?.task;
      if (!task) return h("li", null, children);
      const done = task === "done";
      return h("li", { class: "md-task" }, [
        h(
          "span",
          { role: "checkbox", "aria-checked": done ? "true" : "false", class: "md-check" },
          done ? "☑" : "☐",
        ),
        " ",
        ...children,
      ]);
    }
    case "table":
      return h("div", { class: "md-table" }, h("table", null, children));
    case "th":
    case "td":
      return h(tag, { class: alignClass(open) }, children);
    default:
      return h(tag, /^h[1-6]$/.test(open.tag) ? { class: "md-heading" } : null, children);
  }
}

/** The element a token that opens and closes nothing becomes. */
function leaf(token: Token): ComponentChildren {
  switch (token.type) {
    case "inline":
      return tokens(token.children ?? []);
    case "text":
      return token.content;
    case "html_inline":
    case "html_block": {
      // Raw HTML is text, but its comments are notes to a card's editors: they are not shown.
      const text = token.content.replace(/<!--[\s\S]*?(?:-->|$)/g, "");
      return text.trim() ? text : null;
    }
    case "code_inline":
      return h("code", { class: "md-inline-code" }, token.content);
    case "softbreak":
    case "hardbreak":
      return h("br", null);
    case "hr":
      return h("hr", null);
    case "fence":
    case "code_block":
      return h(CodeBlock, {
        lang: token.info.trim().split(/\s+/)[0] ?? "",
        text: token.content.replace(/\n$/, ""),
      });
    case "image": {
      const alt = token.children ? plainText(token.children) : token.content;
      const src = safeSrc(String(token.attrGet("src") ?? ""));
      return src === null ? alt : h("img", { src, alt, class: "md-image", loading: "lazy" });
    }
    default:
      return token.content || null;
  }
}

function plainText(children: Token[]): string {
  return children.map((t) => t.children ? plainText(t.children) : t.content).join("");
}

/**
 * A token stream as elements, built with an explicit stack so that deeply
 * nested input cannot overflow the call stack.
 */
function tokens(list: Token[]): ComponentChildren[] {
  const stack: Frame[] = [{ token: null, children: [] }];
  for (const token of list) {
    const top = stack[stack.length - 1];
    if (token.nesting === 1) {
      stack.push({ token, children: [] });
    } else if (token.nesting === -1) {
      if (stack.length === 1) continue;
      const done = stack.pop()!;
      const parent = stack[stack.length - 1];
      // Paragraphs of a tight list item are hidden: their text sits in the item.
      if (done.token!.hidden) parent.children.push(...done.children);
      else parent.children.push(element(done.token!, done.children));
    } else {
      top.children.push(leaf(token));
    }
  }
  while (stack.length > 1) {
    const done = stack.pop()!;
    stack[stack.length - 1].children.push(element(done.token!, done.children));
  }
  return stack[0].children;
}

/** Options of {@link renderMarkdown}. */
export interface RenderOptions {
  /** Leave out HTML comments (`<!-- … -->`), as a model card's reader should not see them. @default false */
  hideComments?: boolean;
}

/**
 * Markdown text as Preact elements: CommonMark with GitHub tables, task
 * lists, strikethrough and autolinks; raw HTML as text (without its comments
 * when asked); links only to web pages, e-mail and this site; code blocks
 * with a language, Copy and highlighting (loaded the first time a code block
 * appears).
 *
 * @example
 * ```tsx
 * <div>{renderMarkdown("**Hello** <script>alert(1)</script>")}</div>
 * // <strong>Hello</strong> followed by the literal text "<script>alert(1)</script>"
 * <div>{renderMarkdown("Hi <!-- note to editors -->", { hideComments: true })}</div>
 * // "Hi "
 * ```
 */
export function renderMarkdown(text: string, options: RenderOptions = {}): ComponentChildren[] {
  return tokens(tokenize(text, { html: options.hideComments ?? false }));
}

/**
 * {@link renderMarkdown} in a `div.md`, the styled container.
 *
 * @example
 * ```tsx
 * <Markdown text={"# Title"} class="break-words" />
 * ```
 */
export function Markdown(
  { text, class: className, hideComments }: { text: string; class?: string; hideComments?: boolean },
): VNode {
  return <div class={`md ${className ?? ""}`}>{renderMarkdown(text, { hideComments })}</div>;
}
