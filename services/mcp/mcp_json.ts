/**
 * The `mcp.json` format LM Studio, Claude Desktop and Cursor share:
 * `{"mcpServers": {name: {command, args, env} | {url, headers}}}`. Reading
 * turns each entry into a server definition (or says why it cannot be one);
 * writing gives the same shape with every secret value masked.
 *
 * @module
 */
import { McpJsonEntry, McpServerInput } from "./schemas.ts";
import { type McpServerView, SECRET_MASK } from "../../lib/mcp_types.ts";

/** One entry of an import: a definition, or why it was skipped. */
export type ImportEntry =
  | { name: string; input: McpServerInput }
  | { name: string; error: string };

function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  const path = issue.path.map(String).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * Reads the entries of an `mcp.json` document.
 *
 * @example
 * ```ts
 * readMcpJson({ files: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"] } });
 * // [{ name: "files", input: { transport: "stdio", command: "npx", … } }]
 * ```
 */
export function readMcpJson(servers: Record<string, unknown>): ImportEntry[] {
  return Object.entries(servers).map(([name, raw]): ImportEntry => {
    const entry = McpJsonEntry.safeParse(raw);
    if (!entry.success) return { name, error: firstIssue(entry.error) };
    const e = entry.data;
    const common = { name, enabled: e.disabled !== true, auto_approve: false };
    const candidate = e.url !== undefined
      ? { ...common, transport: "http", url: e.url, headers: e.headers ?? {} }
      : e.command !== undefined
      ? {
        ...common,
        transport: "stdio",
        command: e.command,
        args: e.args ?? [],
        env: e.env ?? {},
        cwd: e.cwd,
      }
      : null;
    if (!candidate) return { name, error: "an entry needs a command (stdio) or a url (http)" };
    const values = Object.values({ ...(e.env ?? {}), ...(e.headers ?? {}) });
    if (values.includes(SECRET_MASK)) {
      return { name, error: "it holds masked values from an export: enter the real values" };
    }
    const input = McpServerInput.safeParse(candidate);
    return input.success ? { name, input: input.data } : { name, error: firstIssue(input.error) };
  });
}

/**
 * Writes servers as an `mcp.json` document; secret values stay masked.
 *
 * @example
 * ```ts
 * writeMcpJson([server]); // { mcpServers: { files: { command: "npx", args: [...], env: { TOKEN: "********" } } } }
 * ```
 */
export function writeMcpJson(
  servers: McpServerView[],
): { mcpServers: Record<string, Record<string, unknown>> } {
  const out: Record<string, Record<string, unknown>> = {};
  for (const s of servers) {
    if (s.transport === "builtin") continue;
    const entry: Record<string, unknown> = s.transport === "http"
      ? { url: s.url, headers: s.headers }
      : { command: s.command, args: s.args, env: s.env, ...(s.cwd ? { cwd: s.cwd } : {}) };
    if (!s.enabled) entry.disabled = true;
    out[s.name] = entry;
  }
  return { mcpServers: out };
}
