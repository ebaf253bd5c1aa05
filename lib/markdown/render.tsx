/**
 * Renders Markdown as Preact elements — text only ever becomes text nodes,
 * never HTML — so a model answering with `<script>` or `<img onerror>`
 * shows those characters and runs nothing. Browser-safe.
 *
 * @module
 */
import type { ComponentChildren, VNode } from "preact";
import { useState } from "preact/hooks";
import { type Block, parseMarkdown } from "./blocks.ts";
import type { Inline } from "./inline.ts";
import { highlight } from "../highlight.ts";

function inlines(nodes: Inline[]): ComponentChildren[] {
  return nodes.map((n, i) => {
    switch (n.type) {
      case "text":
        return n.text;
      case "code":
        return <code key={i} class="md-inline-code">{n.text}</code>;
      case "strong":
        return <strong key={i}>{inlines(n.children)}</strong>;
      case "em":
        return <em key={i}>{inlines(n.children)}</em>;
      case "del":
        return <del key={i}>{inlines(n.children)}</del>;
      case "link":
        return (
          <a key={i} href={n.href} target="_blank" rel="noopener noreferrer nofollow" class="md-link">
            {inlines(n.children)}
          </a>
        );
      case "br":
        return <br key={i} />;
    }
  });
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** A code block with its language, highlighting and a Copy button. */
export function CodeBlock({ lang, text }: { lang: string; text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="md-code" data-testid="code-block">
      <div class="md-code-bar">
        <span>{lang || "text"}</span>
        <button
          type="button"
          class="md-code-copy"
          onClick={async () => {
            if (await copyText(text)) {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            }
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <pre><code>{highlight(text, lang).map((t, i) => t.kind === "plain" ? t.text : <span key={i} class={`tok-${t.kind}`}>{t.text}</span>)}</code></pre>
    </div>
  );
}

function block(b: Block, key: number): VNode {
  switch (b.type) {
    case "heading": {
      const Tag = `h${Math.min(b.level + 2, 6)}` as "h3";
      return <Tag key={key} class="md-heading">{inlines(b.children)}</Tag>;
    }
    case "paragraph":
      return <p key={key}>{inlines(b.children)}</p>;
    case "code":
      return <CodeBlock key={key} lang={b.lang} text={b.text} />;
    case "quote":
      return <blockquote key={key}>{b.children.map(block)}</blockquote>;
    case "list": {
      const items = b.items.map((item, i) => <li key={i}>{item.map(block)}</li>);
      return b.ordered
        ? <ol key={key} start={b.start === 1 ? undefined : b.start}>{items}</ol>
        : <ul key={key}>{items}</ul>;
    }
    case "table":
      return (
        <div key={key} class="md-table">
          <table>
            <thead>
              <tr>
                {b.head.map((cell, i) => <th key={i} class={alignClass(b.align[i])}>{inlines(cell)}</th>)}
              </tr>
            </thead>
            <tbody>
              {b.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) => <td key={i} class={alignClass(b.align[i])}>{inlines(cell)}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case "hr":
      return <hr key={key} />;
  }
}

function alignClass(align: string | null | undefined): string | undefined {
  return align === "center" ? "text-center" : align === "right" ? "text-right" : "text-left";
}

/**
 * Markdown text as elements.
 *
 * @example
 * ```tsx
 * <Markdown text={"**Hello** <script>alert(1)</script>"} />
 * // renders <strong>Hello</strong> followed by the literal text "<script>alert(1)</script>"
 * ```
 */
export function Markdown({ text, class: className }: { text: string; class?: string }) {
  return <div class={`md ${className ?? ""}`}>{parseMarkdown(text).map(block)}</div>;
}
