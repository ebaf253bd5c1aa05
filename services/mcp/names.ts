/**
 * Function names for MCP tools, as the model sees them. OpenAI function names
 * match `^[A-Za-z0-9_-]{1,64}$`, and two servers may offer tools of the same
 * name, so each tool is offered as `<server>__<tool>`, sanitized, cut to 64
 * characters with a short hash when too long, and made unique per request.
 *
 * @module
 */

const MAX = 64;

/** A short, stable hash of `text` (FNV-1a, base 36). */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(6, "0").slice(-6);
}

/** Letters, digits, `_` and `-` only; others become `_`. */
export function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "") || "tool";
}

/**
 * The function name of a server's tool.
 *
 * @example
 * ```ts
 * functionName("GitHub", "search_repositories"); // "GitHub__search_repositories"
 * functionName("files", "read.file");            // "files__read_file"
 * ```
 */
export function functionName(server: string, tool: string): string {
  const name = `${sanitize(server)}__${sanitize(tool)}`;
  if (name.length <= MAX) return name;
  return `${name.slice(0, MAX - 7)}_${shortHash(`${server}\u0000${tool}`)}`;
}

/**
 * Picks names that are unique within one request: a name already taken gets
 * `_2`, `_3`, … (cut to fit).
 *
 * @example
 * ```ts
 * const names = new UniqueNames(["calculate"]);
 * names.take("a__echo"); // "a__echo"
 * names.take("a__echo"); // "a__echo_2"
 * ```
 */
export class UniqueNames {
  readonly #taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.#taken.add(name);
  }

  /** Returns `wanted`, or the first free variant of it, and marks it taken. */
  take(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.#taken.has(name); n++) {
      const suffix = `_${n}`;
      name = wanted.slice(0, MAX - suffix.length) + suffix;
    }
    this.#taken.add(name);
    return name;
  }
}
