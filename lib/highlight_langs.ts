/**
 * What the highlighter knows about each language: comment and string
 * syntax, keywords and literals. Browser-safe data only.
 *
 * @module
 */

/** The syntax of one language family. */
export interface LanguageDef {
  /** Line comment starters. */
  line: string[];
  /** Block comment delimiters. */
  block: [string, string][];
  /** String delimiters, longest first (triple quotes before single). */
  strings: string[];
  keywords: Set<string>;
  literals: Set<string>;
  types: Set<string>;
  /** Keywords are matched case-insensitively (SQL). */
  caseInsensitive?: boolean;
  /** `$name` / `${…}` are variables (shells). */
  dollarVariables?: boolean;
  /** `@name` is a decorator or annotation. */
  decorators?: boolean;
  /** `key:` at the start of a line is a property (YAML, TOML-ish). */
  keys?: boolean;
}

const words = (text: string) => new Set(text.split(/\s+/).filter(Boolean));

const C_LIKE = { line: ["//"], block: [["/*", "*/"]] as [string, string][] };

const JS = words(
  "async await break case catch class const continue debugger default delete do else export extends finally for " +
    "from function get if import in instanceof let new of return set static super switch this throw try typeof var " +
    "void while with yield as interface type enum implements declare namespace readonly keyof satisfies abstract " +
    "private protected public",
);

const DEFS: Record<string, LanguageDef> = {
  js: {
    ...C_LIKE,
    strings: ["`", '"', "'"],
    keywords: JS,
    literals: words("true false null undefined NaN Infinity"),
    types: words("string number boolean any unknown never object Promise Array Record Map Set"),
    decorators: true,
  },
  json: {
    line: [],
    block: [],
    strings: ['"'],
    keywords: new Set(),
    literals: words("true false null"),
    types: new Set(),
  },
  python: {
    line: ["#"],
    block: [],
    strings: ['"""', "'''", '"', "'"],
    keywords: words(
      "and as assert async await break class continue def del elif else except finally for from global if import " +
        "in is lambda nonlocal not or pass raise return try while with yield match case",
    ),
    literals: words("True False None"),
    types: words("int float str bool list dict set tuple bytes object self"),
    decorators: true,
  },
  bash: {
    line: ["#"],
    block: [],
    strings: ['"', "'"],
    keywords: words(
      "if then else elif fi for while until do done case esac function in return local export readonly " +
        "echo cd exit source sudo set unset",
    ),
    literals: words("true false"),
    types: new Set(),
    dollarVariables: true,
  },
  rust: {
    ...C_LIKE,
    strings: ['"'],
    keywords: words(
      "as async await break const continue crate dyn else enum extern fn for if impl in let loop match mod move " +
        "mut pub ref return self Self static struct super trait type unsafe use where while",
    ),
    literals: words("true false None Some Ok Err"),
    types: words(
      "i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str String Vec Option Result Box",
    ),
  },
  go: {
    ...C_LIKE,
    strings: ["`", '"', "'"],
    keywords: words(
      "break case chan const continue default defer else fallthrough for func go goto if import interface map " +
        "package range return select struct switch type var",
    ),
    literals: words("true false nil iota"),
    types: words(
      "int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 float32 float64 string bool byte rune error any",
    ),
  },
  c: {
    ...C_LIKE,
    strings: ['"', "'"],
    keywords: words(
      "auto break case catch class const constexpr continue default delete do else enum explicit extern final for " +
        "friend goto if inline namespace new operator override private protected public return sizeof static " +
        "struct switch template this throw try typedef typename union using virtual volatile while import package " +
        "extends implements interface throws fun val var when object companion func let guard protocol extension " +
        "#include #define #ifdef #ifndef #endif",
    ),
    literals: words("true false NULL nullptr null nil"),
    types: words(
      "int long short char float double void bool unsigned signed size_t auto String Int Double Float Boolean",
    ),
    decorators: true,
  },
  sql: {
    line: ["--"],
    block: [["/*", "*/"]],
    strings: ["'", '"'],
    keywords: words(
      "select from where and or not insert into values update set delete create table index view drop alter add " +
        "join left right inner outer full on group by order having limit offset as distinct union all case when then " +
        "else end primary key foreign references default unique check begin commit rollback with returning like in is",
    ),
    literals: words("null true false"),
    types: words("integer int text real blob varchar char boolean date timestamp numeric"),
    caseInsensitive: true,
  },
  yaml: {
    line: ["#"],
    block: [],
    strings: ['"', "'"],
    keywords: new Set(),
    literals: words("true false null yes no on off"),
    types: new Set(),
    keys: true,
  },
  css: {
    line: [],
    block: [["/*", "*/"]],
    strings: ['"', "'"],
    keywords: words("@media @import @supports @layer @keyframes @font-face !important"),
    literals: new Set(),
    types: new Set(),
    keys: true,
  },
};

const ALIASES: Record<string, string> = {
  javascript: "js",
  jsx: "js",
  ts: "js",
  tsx: "js",
  typescript: "js",
  mjs: "js",
  cjs: "js",
  py: "python",
  python3: "python",
  sh: "bash",
  shell: "bash",
  zsh: "bash",
  console: "bash",
  rs: "rust",
  golang: "go",
  cpp: "c",
  "c++": "c",
  h: "c",
  hpp: "c",
  java: "c",
  kotlin: "c",
  kt: "c",
  swift: "c",
  cs: "c",
  csharp: "c",
  yml: "yaml",
  toml: "yaml",
  ini: "yaml",
  jsonc: "js",
  json5: "js",
  scss: "css",
};

/** The definition for a fence's language name, or null when it is not known. */
export function languageDef(name: string): LanguageDef | null {
  const key = name.toLowerCase();
  return DEFS[key] ?? DEFS[ALIASES[key]] ?? null;
}

/** Whether a fence's language is markup (highlighted as tags and attributes). */
export function isMarkup(name: string): boolean {
  return ["html", "xml", "svg", "vue", "svelte", "htm", "xhtml"].includes(name.toLowerCase());
}
