import assert from "node:assert/strict";
import { highlight, MAX_HIGHLIGHT_CHARS, type Token } from "../../lib/highlight.ts";

const kinds = (tokens: Token[]) => tokens.filter((t) => t.kind !== "plain").map((t) => [t.kind, t.text]);

Deno.test("highlight() tokenizes TypeScript", () => {
  assert.deepEqual(
    kinds(highlight("const greet = (n: string) => `hi ${n}`; // say hi\nreturn 0x1f;", "ts")),
    [
      ["keyword", "const"],
      ["type", "string"],
      ["string", "`hi ${n}`"],
      ["comment", "// say hi"],
      ["keyword", "return"],
      ["number", "0x1f"],
    ],
  );
});

Deno.test("highlight() tokenizes Python, shell, SQL, YAML and HTML", () => {
  assert.deepEqual(
    kinds(highlight('@cache\ndef f(x):\n    return """doc""" if x else None  # done', "python")),
    [
      ["meta", "@cache"],
      ["keyword", "def"],
      ["function", "f"],
      ["keyword", "return"],
      ["string", '"""doc"""'],
      ["keyword", "if"],
      ["keyword", "else"],
      ["literal", "None"],
      ["comment", "# done"],
    ],
  );
  assert.deepEqual(kinds(highlight('export PATH="$HOME/bin" # add', "sh")), [
    ["keyword", "export"],
    ["string", '"$HOME/bin"'],
    ["comment", "# add"],
  ]);
  assert.deepEqual(kinds(highlight("SELECT name FROM users WHERE id = 1; -- one", "sql")), [
    ["keyword", "SELECT"],
    ["keyword", "FROM"],
    ["keyword", "WHERE"],
    ["number", "1"],
    ["comment", "-- one"],
  ]);
  assert.deepEqual(kinds(highlight("name: demo\nenabled: true # on", "yaml")), [
    ["property", "name"],
    ["property", "enabled"],
    ["literal", "true"],
    ["comment", "# on"],
  ]);
  assert.deepEqual(kinds(highlight('<a href="/x">go</a><!-- c -->', "html")), [
    ["tag", "<a"],
    ["attr", "href"],
    ["string", '"/x"'],
    ["tag", ">"],
    ["tag", "</a>"],
    ["comment", "<!-- c -->"],
  ]);
});

Deno.test("highlight() keeps every character, for every language, in order", () => {
  const samples = [
    'fn main() { let s = "x\\"y"; }',
    "a = 'unterminated\nb = 2",
    "/* open comment",
    "$ echo ${X:-1}",
  ];
  for (
    const lang of ["ts", "python", "rust", "go", "c", "sql", "yaml", "bash", "css", "html", "diff", "unknown"]
  ) {
    for (const sample of samples) {
      assert.equal(highlight(sample, lang).map((t) => t.text).join(""), sample, `${lang}: ${sample}`);
    }
  }
});

Deno.test("highlight() leaves unknown languages and very long code plain", () => {
  assert.deepEqual(highlight("x = 1", "brainfuck"), [{ kind: "plain", text: "x = 1" }]);
  const long = "x".repeat(MAX_HIGHLIGHT_CHARS + 1);
  assert.deepEqual(highlight(long, "ts"), [{ kind: "plain", text: long }]);
});
