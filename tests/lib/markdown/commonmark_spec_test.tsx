import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { DOMParser } from "linkedom";
import spec from "commonmark-spec";
import { renderMarkdown } from "../../../lib/markdown/mod.ts";

interface Example {
  markdown: string;
  html: string;
  section: string;
  number: number;
}

/** Raw HTML is deliberately shown as text, so its sections are not ours to pass. */
const SKIPPED_SECTIONS = new Set(["HTML blocks", "Raw HTML"]);
const REQUIRED_SHARE = 0.95;

/**
 * The structure of some HTML as one string: element names and text, without
 * attributes, with every heading level as `h`, code blocks without their
 * toolbar, paragraph wrappers and line breaks dissolved into the text, and
 * runs of white space as one space.
 */
function structure(html: string): string {
  const doc = new DOMParser().parseFromString(
    `<!DOCTYPE html><html><body>${html}</body></html>`,
    "text/html",
  );
  const out: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === 3) {
      out.push(node.textContent ?? "");
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    if (el.getAttribute("data-testid") === "code-block") {
      walk(el.querySelector("pre")!);
      return;
    }
    let tag = el.tagName.toLowerCase();
    if (/^h[1-6]$/.test(tag)) tag = "h";
    if (tag === "br") {
      out.push(" ");
      return;
    }
    const wrapper = tag === "p";
    out.push(wrapper ? " " : `<${tag}>`);
    for (const child of [...el.childNodes]) walk(child);
    out.push(wrapper ? " " : `</${tag}>`);
  };
  for (const child of [...doc.body.childNodes]) walk(child);
  return out.join("").replace(/\s+/g, " ").replace(/\s*(<[^>]+>)\s*/g, "$1").trim();
}

function ours(markdown: string): string {
  return renderToString(<>{renderMarkdown(markdown)}</>);
}

Deno.test("renderMarkdown() gets at least 95 % of the CommonMark 0.31.2 examples outside raw HTML structurally right", () => {
  const examples = (spec as { tests: Example[] }).tests.filter((e) => !SKIPPED_SECTIONS.has(e.section));
  assert.equal(examples.length, 588, "the spec's examples outside HTML blocks and raw HTML");
  // The spec writes a tab as "→" so it can be seen.
  const tabs = (text: string) => text.replaceAll("→", "\t");
  const failed = examples.filter((e) => structure(ours(tabs(e.markdown))) !== structure(tabs(e.html)));
  const passed = examples.length - failed.length;
  // deno-lint-ignore no-console
  console.log(
    `CommonMark 0.31.2: ${passed} of ${examples.length} examples pass; failing: ${
      failed.map((e) => `${e.number} (${e.section})`).join(", ")
    }`,
  );
  assert.ok(
    passed >= Math.ceil(examples.length * REQUIRED_SHARE),
    `${passed} of ${examples.length} is below ${REQUIRED_SHARE * 100} %`,
  );
});

Deno.test("structure() of the spec comparison tells different trees apart and ignores what it promises to ignore", () => {
  assert.equal(structure("<h1 id=x>a</h1><p>b<br>c</p>"), structure("<h3>a</h3>b c"));
  assert.equal(
    structure('<div data-testid="code-block"><div>ts Copy</div><pre><code>x\n</code></pre></div>'),
    structure("<pre><code>x</code></pre>"),
  );
  assert.notEqual(structure("<ul><li>a</li></ul>"), structure("<ol><li>a</li></ol>"));
  assert.notEqual(structure("<em>a</em>"), structure("<strong>a</strong>"));
  assert.notEqual(structure("a*b*"), structure("a<em>b</em>"));
});
