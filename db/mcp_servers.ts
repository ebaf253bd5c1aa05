/**
 * The `mcp_servers` table. Values of `env` and `headers` are stored sealed
 * (see `services/secrets.ts`); this module never sees them in clear.
 *
 * @module
 */
import type { Db } from "./mod.ts";
import { NamedTable } from "./named_table.ts";
import { nullable } from "./rows.ts";
import type { McpServerSettings } from "../lib/mcp_types.ts";

/** A stored MCP server; `env` and `headers` hold sealed values. */
export interface McpServerRow extends McpServerSettings {
  id: number;
  created_at: string;
  updated_at: string;
}

/** The fields of a row that are written. */
export type McpServerFields = Omit<McpServerRow, "id" | "created_at" | "updated_at">;

type Row = Record<string, unknown>;

function toRow(r: Row): McpServerRow {
  return {
    id: Number(r.id),
    name: String(r.name),
    transport: r.transport === "http" ? "http" : "stdio",
    command: nullable(r.command, String),
    args: JSON.parse(String(r.args)),
    cwd: nullable(r.cwd, String),
    url: nullable(r.url, String),
    env: JSON.parse(String(r.env)),
    headers: JSON.parse(String(r.headers)),
    enabled: Number(r.enabled) === 1,
    auto_approve: JSON.parse(String(r.auto_approve)),
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

function values(f: McpServerFields) {
  return [
    f.name,
    f.transport,
    f.command,
    JSON.stringify(f.args),
    f.cwd,
    f.url,
    JSON.stringify(f.env),
    JSON.stringify(f.headers),
    f.enabled ? 1 : 0,
    JSON.stringify(f.auto_approve),
  ] as const;
}

/**
 * Reads and writes MCP server rows, by name.
 *
 * @example
 * ```ts
 * const repo = new McpServersRepo(db);
 * const row = repo.insert({ name: "files", transport: "stdio", command: "npx", args: [], cwd: null,
 *   url: null, env: {}, headers: {}, enabled: true, auto_approve: false });
 * repo.get(row.id)?.name; // "files"
 * ```
 */
export class McpServersRepo extends NamedTable<McpServerRow, McpServerFields> {
  constructor(db: Db) {
    super(db, {
      table: "mcp_servers",
      columns: [
        "name",
        "transport",
        "command",
        "args",
        "cwd",
        "url",
        "env",
        "headers",
        "enabled",
        "auto_approve",
      ],
      order: "name COLLATE NOCASE",
      toRow,
      values,
    });
  }
}
