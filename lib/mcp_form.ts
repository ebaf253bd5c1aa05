/**
 * The MCP server form's text fields and the API body they stand for:
 * arguments one per line, env as `NAME=value` lines, headers as
 * `Name: value` lines, and auto-approval as none, all or a list of tool
 * names. Pure, browser-safe.
 *
 * @module
 */
import type { McpServerView } from "./mcp_types.ts";

/** The form's fields, as text. */
export interface McpFormValues {
  name: string;
  transport: "stdio" | "http";
  command: string;
  args: string;
  env: string;
  cwd: string;
  url: string;
  headers: string;
  enabled: boolean;
  approve: "none" | "all" | "some";
  approveTools: string;
}

/** The empty form. */
export const EMPTY_FORM: McpFormValues = {
  name: "",
  transport: "stdio",
  command: "",
  args: "",
  env: "",
  cwd: "",
  url: "",
  headers: "",
  enabled: true,
  approve: "none",
  approveTools: "",
};

const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);

function pairs(text: string, separator: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(text)) {
    const at = line.indexOf(separator);
    if (at <= 0) out[line] = "";
    else out[line.slice(0, at).trim()] = line.slice(at + separator.length).trim();
  }
  return out;
}

/**
 * The form values of an existing server (secret values stay masked; saving
 * the mask keeps them).
 *
 * @example
 * ```ts
 * formValues(server).env; // "TOKEN=********"
 * ```
 */
export function formValues(server: McpServerView): McpFormValues {
  const approve = server.auto_approve;
  return {
    name: server.name,
    transport: server.transport === "http" ? "http" : "stdio",
    command: server.command ?? "",
    args: server.args.join("\n"),
    env: Object.entries(server.env).map(([k, v]) => `${k}=${v}`).join("\n"),
    cwd: server.cwd ?? "",
    url: server.url ?? "",
    headers: Object.entries(server.headers).map(([k, v]) => `${k}: ${v}`).join("\n"),
    enabled: server.enabled,
    approve: approve === true ? "all" : Array.isArray(approve) && approve.length ? "some" : "none",
    approveTools: Array.isArray(approve) ? approve.join(", ") : "",
  };
}

/**
 * The `POST`/`PUT /api/mcp/servers` body of the form.
 *
 * @example
 * ```ts
 * formBody({ ...EMPTY_FORM, name: "files", command: "npx", args: "-y\nserver", env: "TOKEN=abc" });
 * // { name: "files", transport: "stdio", command: "npx", args: ["-y", "server"], env: { TOKEN: "abc" }, … }
 * ```
 */
export function formBody(v: McpFormValues): Record<string, unknown> {
  const auto_approve = v.approve === "all"
    ? true
    : v.approve === "some"
    ? v.approveTools.split(/[,\s]+/).filter(Boolean)
    : false;
  const common = { name: v.name.trim(), enabled: v.enabled, auto_approve };
  if (v.transport === "http") {
    return { ...common, transport: "http", url: v.url.trim(), headers: pairs(v.headers, ":") };
  }
  return {
    ...common,
    transport: "stdio",
    command: v.command.trim(),
    args: lines(v.args),
    env: pairs(v.env, "="),
    cwd: v.cwd.trim() || null,
  };
}
