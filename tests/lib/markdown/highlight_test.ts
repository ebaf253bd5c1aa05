import assert from "node:assert/strict";
import {
  highlightCode,
  type HighlightNode,
  MAX_HIGHLIGHT_CHARS,
  MAX_HIGHLIGHT_LINE,
} from "../../../lib/markdown/highlight.ts";

function text(nodes: HighlightNode[]): string {
  return nodes.map((n) => typeof n === "string" ? n : text(n.children)).join("");
}

function scoped(nodes: HighlightNode[], out: [string, string][] = []): [string, string][] {
  for (const n of nodes) {
    if (typeof n === "string") continue;
    if (n.scope) out.push([n.scope, text(n.children)]);
    scoped(n.children, out);
  }
  return out;
}

Deno.test("highlightCode() marks keywords, strings, numbers and comments and keeps every character", () => {
  const code = 'const answer = 42; // the answer\nlet s = "<script>";';
  const nodes = highlightCode(code, "ts")!;
  assert.equal(text(nodes), code);
  const found = scoped(nodes);
  for (
    const expected of [["keyword", "const"], ["number", "42"], ["comment", "// the answer"], [
      "string",
      '"<script>"',
    ]]
  ) {
    assert.ok(
      found.some(([s, t]) => s === expected[0] && t === expected[1]),
      `${expected} in ${JSON.stringify(found)}`,
    );
  }
});

Deno.test("highlightCode() knows the aliases people write after a fence", () => {
  for (
    const [lang, code, keyword] of [["py", "def f(): pass", "def"], ["sh", "if true; then echo; fi", "if"], [
      "rs",
      "fn main() {}",
      "fn",
    ], ["html", "<b>x</b>", "b"]]
  ) {
    const nodes = highlightCode(code, lang);
    assert.ok(nodes, lang);
    assert.ok(scoped(nodes).some(([, t]) => t === keyword), `${lang}: ${JSON.stringify(scoped(nodes))}`);
  }
});

Deno.test("highlightCode() returns null for no language, an unknown one or code too long to highlight", () => {
  assert.equal(highlightCode("x", ""), null);
  assert.equal(highlightCode("x", "no-such-language"), null);
  const line = "let a = 1;\n";
  const long = line.repeat(Math.floor(MAX_HIGHLIGHT_CHARS / line.length));
  assert.ok(highlightCode(long, "ts"));
  assert.equal(highlightCode(long + line, "ts"), null);
  assert.ok(highlightCode("a\n" + "x".repeat(MAX_HIGHLIGHT_LINE) + "\nb", "ts"));
  assert.equal(highlightCode("a\n" + "x".repeat(MAX_HIGHLIGHT_LINE + 1) + "\nb", "ts"), null);
  assert.equal(highlightCode("x".repeat(MAX_HIGHLIGHT_LINE + 1), "ts"), null);
});
