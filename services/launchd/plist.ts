/**
 * XML property lists, as launchd reads them: a small serializer that escapes
 * every string and refuses what XML cannot hold.
 *
 * @module
 */

/** A value a property list can hold. */
export type PlistValue =
  | string
  | number
  | boolean
  | PlistValue[]
  | { [key: string]: PlistValue };

const HEADER = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
`;

// XML 1.0 allows tab, newline and carriage return, but no other control character.
// deno-lint-ignore no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * Escapes text for an XML element, refusing characters XML 1.0 cannot carry.
 *
 * @example
 * ```ts
 * escapeXml("a < b & c"); // "a &lt; b &amp; c"
 * ```
 */
export function escapeXml(text: string): string {
  if (NOT_XML.test(text)) {
    throw new RangeError(
      `Cannot write ${JSON.stringify(text)} into a property list: it holds a control character`,
    );
  }
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

function element(value: PlistValue, indent: string): string {
  const inner = `${indent}\t`;
  if (typeof value === "string") return `${indent}<string>${escapeXml(value)}</string>\n`;
  if (typeof value === "boolean") return `${indent}<${value}/>\n`;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`Cannot write ${value} into a property list`);
    return Number.isInteger(value)
      ? `${indent}<integer>${value}</integer>\n`
      : `${indent}<real>${value}</real>\n`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}<array/>\n`;
    return `${indent}<array>\n${value.map((v) => element(v, inner)).join("")}${indent}</array>\n`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return `${indent}<dict/>\n`;
  const body = entries.map(([k, v]) => `${inner}<key>${escapeXml(k)}</key>\n${element(v, inner)}`).join("");
  return `${indent}<dict>\n${body}${indent}</dict>\n`;
}

/**
 * Serializes a dictionary as an XML property list.
 *
 * @example
 * ```ts
 * plistXml({ Label: "com.mlx-manager.app", RunAtLoad: true });
 * // <?xml …?><!DOCTYPE plist …><plist version="1.0"><dict><key>Label</key>…</dict></plist>
 * ```
 */
export function plistXml(root: { [key: string]: PlistValue }): string {
  return `${HEADER}${element(root, "")}</plist>\n`;
}
