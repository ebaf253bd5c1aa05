/**
 * A code block with its language, a Copy button and syntax highlighting. The
 * highlighter is fetched the first time any code block is shown; until then
 * (and for unknown languages) the code is plain text.
 *
 * @module
 */
import { type ComponentChildren, h, type VNode } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { HighlightNode } from "./highlight.ts";

type Highlighter = typeof import("./highlight.ts");

let highlighter: Highlighter | null = null;
let loading: Promise<Highlighter> | null = null;

/** Loads the highlighter once for the page. */
function loadHighlighter(): Promise<Highlighter> {
  loading ??= import("./highlight.ts").then((mod) => (highlighter = mod));
  return loading;
}

/** highlight.js scopes mapped onto the `tok-*` classes the stylesheet colours. */
const SCOPE_CLASS: Record<string, string> = {
  keyword: "keyword",
  section: "keyword",
  "selector-tag": "tag",
  built_in: "type",
  type: "type",
  "title.class": "type",
  literal: "literal",
  symbol: "literal",
  number: "number",
  string: "string",
  regexp: "string",
  comment: "comment",
  doctag: "comment",
  quote: "comment",
  title: "function",
  "title.function": "function",
  params: "variable",
  variable: "variable",
  "template-variable": "variable",
  attr: "attr",
  attribute: "attr",
  property: "property",
  tag: "tag",
  name: "tag",
  meta: "meta",
  bullet: "meta",
  addition: "inserted",
  deletion: "deleted",
};

function scopeClass(scope: string): string | undefined {
  const kind = SCOPE_CLASS[scope] ?? SCOPE_CLASS[scope.split(".")[0]];
  return kind ? `tok-${kind}` : undefined;
}

function runs(nodes: HighlightNode[]): ComponentChildren[] {
  return nodes.map((node) =>
    typeof node === "string"
      ? node
      : node.scope === null
      ? h("span", null, runs(node.children))
      : h("span", { class: scopeClass(node.scope) }, runs(node.children))
  );
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Props of {@link CodeBlock}. */
export interface CodeBlockProps {
  /** The fence's language word; empty for none. */
  lang: string;
  text: string;
}

/**
 * A code block.
 *
 * @example
 * ```tsx
 * <CodeBlock lang="ts" text="const x = 1;" />
 * ```
 */
export function CodeBlock({ lang, text }: CodeBlockProps): VNode {
  const [copied, setCopied] = useState(false);
  const [, setLoaded] = useState(highlighter !== null);
  useEffect(() => {
    if (highlighter === null && lang) loadHighlighter().then(() => setLoaded(true), () => {});
  }, [lang]);
  const highlighted = highlighter?.highlightCode(text, lang) ?? null;
  return (
    <div class="md-code" data-testid="code-block" data-highlighted={highlighted ? "" : undefined}>
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
      <pre><code>{highlighted ? runs(highlighted) : text}</code></pre>
    </div>
  );
}
