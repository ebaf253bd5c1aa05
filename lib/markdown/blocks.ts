/**
 * Block Markdown: headings, paragraphs, fenced code, block quotes, nested
 * lists, GitHub tables and rules. Made for model answers that arrive a piece
 * at a time: an unclosed code fence is code until the text ends, so a
 * half-streamed answer renders sensibly.
 *
 * @module
 */
import { type Inline, parseInline } from "./inline.ts";

/** Column alignment of a table. */
export type Align = "left" | "center" | "right" | null;

/** A block node. */
export type Block =
  | { type: "heading"; level: number; children: Inline[] }
  | { type: "paragraph"; children: Inline[] }
  | { type: "code"; lang: string; text: string; closed: boolean }
  | { type: "quote"; children: Block[] }
  | { type: "list"; ordered: boolean; start: number; items: Block[][] }
  | { type: "table"; align: Align[]; head: Inline[][]; rows: Inline[][][] }
  | { type: "hr" };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])(?:([ \t]+)(.*)|$)/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const MAX_DEPTH = 12;

function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = "";
  for (let i = 0; i < row.length; i++) {
    if (row[i] === "\\" && row[i + 1] === "|") {
      cell += "|";
      i++;
    } else if (row[i] === "|") {
      cells.push(cell.trim());
      cell = "";
    } else cell += row[i];
  }
  cells.push(cell.trim());
  return cells;
}

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) ||
    (ITEM.test(line) && ITEM.exec(line)![4] !== undefined && ITEM.exec(line)![4].trim() !== "");
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)![0].replaceAll("\t", "    ").length;
}

/** Removes up to `n` columns of leading spaces. */
function dedent(line: string, n: number): string {
  let i = 0;
  let col = 0;
  while (i < line.length && col < n && (line[i] === " " || line[i] === "\t")) {
    col += line[i] === "\t" ? 4 : 1;
    i++;
  }
  return line.slice(i);
}

function parseLines(lines: string[], depth: number): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === "") {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1];
      const body: string[] = [];
      let closed = false;
      i++;
      while (i < lines.length) {
        const close = new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*$`);
        if (close.test(lines[i])) {
          closed = true;
          i++;
          break;
        }
        body.push(lines[i]);
        i++;
      }
      blocks.push({ type: "code", lang: fence[2].toLowerCase(), text: body.join("\n"), closed });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ type: "heading", level: heading[1].length, children: parseInline(heading[2] ?? "") });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: "hr" });
      i++;
      continue;
    }
    if (QUOTE.test(line) && depth < MAX_DEPTH) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i])) inner.push(QUOTE.exec(lines[i++])![1]);
      blocks.push({ type: "quote", children: parseLines(inner, depth + 1) });
      continue;
    }
    const item = ITEM.exec(line);
    if (item && depth < MAX_DEPTH) {
      i = parseList(lines, i, depth, blocks);
      continue;
    }
    if (line.includes("|") && i + 1 < lines.length && TABLE_DELIMITER.test(lines[i + 1])) {
      const head = splitRow(line);
      const align = splitRow(lines[i + 1]).map((c): Align =>
        c.startsWith(":") && c.endsWith(":")
          ? "center"
          : c.endsWith(":")
          ? "right"
          : c.startsWith(":")
          ? "left"
          : null
      );
      i += 2;
      const rows: Inline[][][] = [];
      while (i < lines.length && lines[i].trim() !== "" && lines[i].includes("|")) {
        const cells = splitRow(lines[i++]);
        rows.push(head.map((_, c) => parseInline(cells[c] ?? "")));
      }
      blocks.push({
        type: "table",
        align: align.slice(0, head.length),
        head: head.map((h) => parseInline(h)),
        rows,
      });
      continue;
    }
    const para: string[] = [line.trim()];
    i++;
    while (i < lines.length && lines[i].trim() !== "" && !startsBlock(lines[i])) para.push(lines[i++].trim());
    blocks.push({ type: "paragraph", children: parseInline(para.join("\n")) });
  }
  return blocks;
}

/** Parses the list starting at `start`; returns the index of the first line after it. */
function parseList(lines: string[], start: number, depth: number, out: Block[]): number {
  const first = ITEM.exec(lines[start])!;
  const ordered = /\d/.test(first[2]);
  const bullet = ordered ? first[2].slice(-1) : first[2];
  const items: Block[][] = [];
  let i = start;
  while (i < lines.length) {
    const m = ITEM.exec(lines[i]);
    const sameKind = m && (ordered ? /\d/.test(m[2]) && m[2].endsWith(bullet) : m[2] === bullet);
    if (!m || !sameKind || m[1].length > first[1].length + 1) break;
    const contentIndent = m[1].length + m[2].length + Math.min((m[3] ?? " ").length, 4);
    const body = [m[4] ?? ""];
    i++;
    while (i < lines.length) {
      const line = lines[i];
      if (line.trim() === "") {
        // A blank line continues the item only if indented content follows.
        const next = lines.slice(i + 1).find((l) => l.trim() !== "");
        if (next !== undefined && indentOf(next) >= contentIndent) {
          body.push("");
          i++;
          continue;
        }
        break;
      }
      if (indentOf(line) >= contentIndent) body.push(dedent(line, contentIndent));
      else if (ITEM.test(line) || startsBlock(line)) break;
      else body.push(line.trim()); // lazy continuation of the item's paragraph
      i++;
    }
    items.push(parseLines(body, depth + 1));
  }
  out.push({ type: "list", ordered, start: ordered ? Number(first[2].slice(0, -1)) : 1, items });
  return i;
}

/**
 * Parses Markdown into blocks.
 *
 * @example
 * ```ts
 * parseMarkdown("# Hi\n\n- one\n- two");
 * // [{type:"heading", level:1, …}, {type:"list", ordered:false, items:[…]}]
 * ```
 */
export function parseMarkdown(text: string): Block[] {
  return parseLines(text.replace(/\r\n?/g, "\n").split("\n"), 0);
}
