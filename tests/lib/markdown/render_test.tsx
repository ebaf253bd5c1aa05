import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { DOMParser } from "linkedom";
import { Markdown } from "../../../lib/markdown/mod.ts";

function render(text: string): Document {
  const html = renderToString(<Markdown text={text} />);
  const doc = new DOMParser().parseFromString(
    `<!DOCTYPE html><html><body>${html}</body></html>`,
    "text/html",
  );
  return doc as unknown as Document;
}

/**
 * Asserts the rendered tree holds no script-capable element or attribute; an
 * image may only load from the web or this site (the CSP keeps remote ones out).
 */
function assertInert(doc: Document, source: string): void {
  const all = [...doc.body.querySelectorAll("*")];
  for (const el of all) {
    const tag = el.tagName.toLowerCase();
    assert.ok(
      !["script", "iframe", "object", "embed", "svg", "style", "link", "meta", "form", "input"]
        .includes(tag),
      `${JSON.stringify(source)} produced <${tag}>`,
    );
    for (const attr of [...el.attributes]) {
      assert.ok(!/^on/i.test(attr.name), `${JSON.stringify(source)} produced ${attr.name}=`);
      if (attr.name === "href") {
        assert.match(attr.value, /^(https?:|mailto:|[^:]*$)/i, `${JSON.stringify(source)}: href`);
      }
      if (attr.name === "src") {
        assert.equal(tag, "img", `${JSON.stringify(source)} produced src= on <${tag}>`);
        assert.match(attr.value, /^(https?:|[^:]*$)/i, `${JSON.stringify(source)}: src`);
      }
      assert.ok(attr.name !== "style", `${JSON.stringify(source)} produced style=`);
    }
  }
}

Deno.test("Markdown renders raw HTML and script URLs from a model as text, never as elements", () => {
  const attacks = [
    "<script>globalThis.pwned = 1</script>",
    '<img src=x onerror="globalThis.pwned = 1">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](javascript:alert(1))",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](https://tracker.example/pixel.png)",
    "[x](vbscript:msgbox(1))",
    "[x](java\tscript:alert(1))",
    "[x]: javascript:alert(1)\n\n[x]",
    "<javascript:alert(1)>",
    "```html\n<script>alert(1)</script>\n```",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | `<script>` |",
    "> <iframe src=//evil>",
    "- <style>body{display:none}</style>",
    "**<b onmouseover=alert(1)>x</b>**",
  ];
  for (const source of attacks) {
    const doc = render(source);
    assertInert(doc, source);
  }
  const doc = render('Hi <script>alert("x")</script> and <img src=x onerror=alert(1)>');
  assert.equal(doc.body.textContent, 'Hi <script>alert("x")</script> and <img src=x onerror=alert(1)>');
});

Deno.test("Markdown renders headings, emphasis, code, links, lists, quotes, tables and rules", () => {
  const doc = render([
    "# Title",
    "",
    'Some **bold**, *italic*, ~~gone~~, `code` and a [link](https://deno.com "Deno").',
    "Second line with https://example.com/path.",
    "",
    "- one",
    "- two",
    "  - nested",
    "",
    "3. three",
    "4. four",
    "",
    "> quoted *text*",
    "",
    "| Name | Size |",
    "|:-----|-----:|",
    "| a \\| b | 2 |",
    "",
    "---",
    "",
    "```ts",
    "const x = 1;",
    "```",
  ].join("\n"));
  const q = (s: string) => doc.querySelector(s);
  assert.equal(q("h3")!.textContent, "Title");
  assert.equal(q("p strong")!.textContent, "bold");
  assert.equal(q("p em")!.textContent, "italic");
  assert.equal(q("p del")!.textContent, "gone");
  assert.equal(q("p code")!.textContent, "code");
  const links = [...doc.querySelectorAll("a")];
  assert.deepEqual(links.map((a) => [a.getAttribute("href"), a.textContent]), [
    ["https://deno.com", "link"],
    ["https://example.com/path", "https://example.com/path"],
  ]);
  assert.equal(links[0].getAttribute("rel"), "noopener noreferrer nofollow");
  assert.equal(q("p br") !== null, true, "a single newline is a line break");
  assert.deepEqual([...doc.querySelector("ul")!.children].map((li) => li.firstChild!.textContent), [
    "one",
    "two",
  ]);
  assert.equal(q("ul ul li")!.textContent, "nested");
  assert.equal(q("ol")!.getAttribute("start"), "3");
  assert.equal(q("blockquote em")!.textContent, "text");
  assert.deepEqual([...doc.querySelectorAll("th")].map((th) => [th.textContent, th.getAttribute("class")]), [
    ["Name", "text-left"],
    ["Size", "text-right"],
  ]);
  assert.equal(q("td")!.textContent, "a | b");
  assert.ok(q("hr"));
  assert.equal(q("[data-testid=code-block] pre")!.textContent, "const x = 1;");
  assert.equal(q(".md-code-bar span")!.textContent, "ts");
});

Deno.test("Markdown keeps snake_case words and lone stars as text", () => {
  const doc = render("call snake_case_name with 2 * 3 * 4 and *not closed");
  assert.equal(doc.body.textContent, "call snake_case_name with 2 * 3 * 4 and *not closed");
  assert.equal(doc.querySelector("em"), null);
  const nested = render("*a **b** c*");
  assert.equal(nested.querySelector("em > strong")!.textContent, "b");
});

Deno.test("Markdown treats an unclosed fence as code, so a half-streamed answer renders sensibly", () => {
  const doc = render("Here:\n\n```python\ndef f():\n    return '# not a heading'");
  assert.deepEqual([...doc.querySelector(".md")!.children].map((el) => el.tagName.toLowerCase()), [
    "p",
    "div",
  ]);
  assert.equal(doc.querySelector(".md-code-bar span")!.textContent, "python");
  assert.equal(doc.querySelector("pre")!.textContent, "def f():\n    return '# not a heading'");
  assert.equal(doc.querySelector("h3, h4, h5, h6"), null);
});

Deno.test("Markdown renders task lists, reference links, images and www. autolinks but not file names", () => {
  const doc = render([
    "- [x] done",
    "- [ ] todo",
    "",
    "See [the docs][docs], www.deno.com and config.py.",
    "",
    "![logo](/static/favicon.svg)",
    "",
    "[docs]: https://docs.deno.com",
  ].join("\n"));
  const checks = [...doc.querySelectorAll("li.md-task [role=checkbox]")];
  assert.deepEqual(checks.map((c) => c.getAttribute("aria-checked")), ["true", "false"]);
  assert.deepEqual([...doc.querySelectorAll("li")].map((li) => li.textContent), ["☑ done", "☐ todo"]);
  assert.deepEqual([...doc.querySelectorAll("a")].map((a) => [a.getAttribute("href"), a.textContent]), [
    ["https://docs.deno.com", "the docs"],
    ["http://www.deno.com", "www.deno.com"],
  ]);
  const img = doc.querySelector("img")!;
  assert.equal(img.getAttribute("src"), "/static/favicon.svg");
  assert.equal(img.getAttribute("alt"), "logo");
});

Deno.test("Markdown survives hostile nesting and random punctuation", () => {
  const deep = ">".repeat(5000) + " x\n" + "- ".repeat(3000) + "y\n" + "[".repeat(3000) + "*".repeat(3000);
  assertInert(render(deep), "deep");
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const alphabet = [
    "*",
    "_",
    "~",
    "`",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "!",
    "#",
    "-",
    "|",
    "\n",
    " ",
    "a",
    "h",
    "\\",
    ":",
  ];
  for (let n = 0; n < 300; n++) {
    let text = "";
    for (let i = 0; i < 80; i++) text += alphabet[Math.floor(next() * alphabet.length)];
    assertInert(render(text), text);
  }
});

Deno.test("Markdown with hideComments leaves out HTML comments, keeps code and the rest of the HTML as text", () => {
  const card = [
    "<!-- This model card has been generated automatically. -->",
    "# Qwen",
    "",
    "Fast <!-- TODO: numbers --> and small.",
    "",
    "<!--",
    "a note over",
    "several lines",
    "-->",
    "",
    "```html",
    "<!-- in a code block it is code -->",
    "```",
    "",
    '<div align="center"><script>globalThis.pwned = 1</script></div>',
  ].join("\n");
  const html = renderToString(<Markdown text={card} hideComments />);
  const doc = new DOMParser().parseFromString(
    `<html><body>${html}</body></html>`,
    "text/html",
  ) as unknown as Document;
  const text = doc.body.textContent ?? "";
  assert.doesNotMatch(text, /generated automatically|TODO|a note over|several lines/);
  assert.match(text, /Fast\s+and small\./);
  assert.match(text, /<!-- in a code block it is code -->/);
  assert.match(
    text,
    /<div align="center"><script>globalThis\.pwned = 1<\/script><\/div>/,
    "other HTML is text",
  );
  assertInert(doc, card);
  assert.equal(doc.querySelector(".md-heading")?.textContent, "Qwen");

  // A chat answer keeps what it wrote, comments too.
  assert.equal(render("Hi <!-- x -->").body.textContent, "Hi <!-- x -->");
  // An unclosed comment hides the rest, as GitHub does.
  const unclosed = "Before\n\n<!-- never closed\n\nafter";
  assert.equal(
    renderToString(<Markdown text={unclosed} hideComments />).includes("after"),
    false,
  );
});
