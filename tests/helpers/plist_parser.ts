/**
 * A strict reader of XML property lists for tests: it refuses anything that
 * is not well-formed XML (unbalanced or mismatched tags, bare `&` or `<`,
 * unknown entities, control characters) or not a valid plist (dict keys and
 * values out of step, text where elements belong), then returns the value so
 * tests can compare it with what was written.
 *
 * @module
 */
import type { PlistValue } from "../../services/launchd/plist.ts";

interface Node {
  name: string;
  children: (Node | string)[];
}

const PROLOG =
  /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<!DOCTYPE plist PUBLIC "-\/\/Apple\/\/DTD PLIST 1\.0\/\/EN" "http:\/\/www\.apple\.com\/DTDs\/PropertyList-1\.0\.dtd">\s*/;
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string): string {
  if (CONTROL.test(text)) throw new SyntaxError("Control character in text");
  if (text.includes("]]>")) throw new SyntaxError('"]]>" in text');
  return text.replace(/&([^;]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(";")) throw new SyntaxError(`Bare "&" in ${JSON.stringify(text)}`);
    if (name in ENTITIES) return ENTITIES[name];
    const code = name.match(/^#(\d+)$/)?.[1] ?? name.match(/^#x([0-9a-fA-F]+)$/)?.[1];
    if (code === undefined) throw new SyntaxError(`Unknown entity &${name};`);
    return String.fromCodePoint(parseInt(code, name[1] === "x" ? 16 : 10));
  });
}

function tree(body: string): Node {
  const root: Node = { name: "#document", children: [] };
  const stack: Node[] = [root];
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[A-Za-z][\w.-]*="[^"<&]*")*)\s*(\/?)>|([^<]+)/y;
  while (token.lastIndex < body.length) {
    const at = token.lastIndex;
    const match = token.exec(body);
    if (!match) {
      throw new SyntaxError(`Malformed markup at ${at}: ${JSON.stringify(body.slice(at, at + 30))}`);
    }
    const [, closing, name, , selfClosing, text] = match;
    const top = stack[stack.length - 1];
    if (text !== undefined) top.children.push(decode(text));
    else if (closing) {
      if (top.name !== name) throw new SyntaxError(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const node: Node = { name, children: [] };
      top.children.push(node);
      if (!selfClosing) stack.push(node);
    }
  }
  if (stack.length !== 1) throw new SyntaxError(`<${stack[stack.length - 1].name}> is never closed`);
  return root;
}

function elements(node: Node): Node[] {
  for (const child of node.children) {
    if (typeof child === "string" && child.trim() !== "") {
      throw new SyntaxError(`Text ${JSON.stringify(child)} inside <${node.name}>`);
    }
  }
  return node.children.filter((c): c is Node => typeof c !== "string");
}

function text(node: Node): string {
  if (node.children.some((c) => typeof c !== "string")) throw new SyntaxError(`Markup inside <${node.name}>`);
  return (node.children as string[]).join("");
}

function value(node: Node): PlistValue {
  switch (node.name) {
    case "string":
      return text(node);
    case "integer": {
      const t = text(node);
      if (!/^-?\d+$/.test(t)) throw new SyntaxError(`Bad integer ${t}`);
      return Number(t);
    }
    case "real":
      return Number(text(node));
    case "true":
    case "false":
      if (node.children.length) throw new SyntaxError(`<${node.name}> must be empty`);
      return node.name === "true";
    case "array":
      return elements(node).map(value);
    case "dict": {
      const children = elements(node);
      if (children.length % 2) throw new SyntaxError("A dict has a key without a value");
      const dict: Record<string, PlistValue> = {};
      for (let i = 0; i < children.length; i += 2) {
        if (children[i].name !== "key") throw new SyntaxError(`Expected <key>, found <${children[i].name}>`);
        const key = text(children[i]);
        if (key in dict) throw new SyntaxError(`Duplicate key ${key}`);
        dict[key] = value(children[i + 1]);
      }
      return dict;
    }
    default:
      throw new SyntaxError(`<${node.name}> is not a plist element`);
  }
}

/** Parses an XML property list strictly; throws `SyntaxError` on anything invalid. */
export function parsePlistStrict(xml: string): PlistValue {
  const prolog = xml.match(PROLOG);
  if (!prolog) throw new SyntaxError("Missing the XML declaration or the plist DOCTYPE");
  const document = elements(tree(xml.slice(prolog[0].length)));
  if (document.length !== 1 || document[0].name !== "plist") {
    throw new SyntaxError("One <plist> root expected");
  }
  const content = elements(document[0]);
  if (content.length !== 1) throw new SyntaxError("<plist> must hold one value");
  return value(content[0]);
}
