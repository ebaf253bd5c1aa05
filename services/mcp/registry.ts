/**
 * The MCP servers registry and connection manager: stores the servers an
 * admin registers (secrets sealed), keeps one connection per enabled server
 * (`connection.ts`), publishes every change on the event bus, and lets the
 * chat list and call their tools. The built-in tools are listed as server 0.
 *
 * @module
 */
import { AppError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import { type McpServerView, type McpToolInfo, SECRET_MASK } from "../../lib/mcp_types.ts";
import type { Db } from "../../db/mod.ts";
import { type McpServerFields, type McpServerRow, McpServersRepo } from "../../db/mcp_servers.ts";
import type { EventBus } from "../events.ts";
import { EntrySecrets, NamedEntries } from "../registry.ts";
import type { SecretBox } from "../secrets.ts";
import { BUILTIN_TOOLS } from "../chat/tools/mod.ts";
import {
  type CallOptions,
  type ConnectionTarget,
  type ConnectionTiming,
  DEFAULT_TIMING,
  McpConnection,
} from "./connection.ts";
import type { McpServerInput } from "./schemas.ts";
import { readMcpJson, writeMcpJson } from "./mcp_json.ts";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** The id of the built-in server. */
export const BUILTIN_SERVER_ID = 0;
/** The name of the built-in server. */
export const BUILTIN_SERVER_NAME = "Built-in";

/** What {@link McpServers} needs. */
export interface McpServersOptions {
  db: Db;
  bus: EventBus;
  secrets: SecretBox;
  logger: Logger;
  /** @default DEFAULT_TIMING */
  timing?: Partial<ConnectionTiming>;
}

/** The outcome of an import. */
export interface ImportOutcome {
  created: McpServerView[];
  skipped: { name: string; reason: string }[];
}

const BUILTIN_TOOL_INFO: McpToolInfo[] = BUILTIN_TOOLS.map((t) => ({
  name: t.function.name,
  description: t.function.description,
  input_schema: t.function.parameters,
  // Both compute an answer from their arguments alone.
  annotations: { readOnlyHint: true, openWorldHint: false },
}));

const mask = (values: Record<string, string>) =>
  Object.fromEntries(Object.keys(values).map((k) => [k, SECRET_MASK]));

/**
 * A server as `viewer` may see it: an admin sees what was registered (with
 * secret values masked); anyone else sees its arguments masked like its env
 * values, since a command line often carries a token (`--api-key …`).
 *
 * @example
 * ```ts
 * viewFor(mcp.get(3), { isAdmin: false }).args; // ["********", "********"]
 * ```
 */
export function viewFor(server: McpServerView, viewer: { isAdmin: boolean }): McpServerView {
  return viewer.isAdmin ? server : { ...server, args: server.args.map(() => SECRET_MASK) };
}

/**
 * The registry.
 *
 * @example
 * ```ts
 * const mcp = new McpServers({ db, bus, secrets: new SecretBox(dataDir), logger });
 * await mcp.start();
 * const server = await mcp.create({ name: "files", transport: "stdio", command: "npx", args: [], env: {},
 *   cwd: null, enabled: true, auto_approve: false });
 * await mcp.close();
 * ```
 */
export class McpServers {
  readonly #repo: McpServersRepo;
  readonly #entries: NamedEntries<McpServerRow>;
  readonly #bus: EventBus;
  readonly #secrets: EntrySecrets;
  readonly #logger: Logger;
  readonly #timing: ConnectionTiming;
  readonly #connections = new Map<number, McpConnection>();
  #closed = false;

  constructor(options: McpServersOptions) {
    this.#repo = new McpServersRepo(options.db);
    this.#entries = new NamedEntries(this.#repo, { thing: "MCP server", reserved: [BUILTIN_SERVER_NAME] });
    this.#bus = options.bus;
    this.#secrets = new EntrySecrets(options.secrets, "mcp");
    this.#logger = options.logger;
    this.#timing = { ...DEFAULT_TIMING, ...options.timing };
  }

  /** Connects every registered server (in the background). */
  async start(): Promise<void> {
    for (const row of this.#repo.list()) {
      if (!this.#connections.has(row.id)) await this.#connect(row);
    }
  }

  /** Disconnects every server and ends the stdio servers' processes. */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(all.map((c) => c.stop()));
  }

  /** Every server, the built-in one first. */
  list(): McpServerView[] {
    return [this.#builtin(), ...this.#repo.list().map((r) => this.#view(r))];
  }

  /**
   * One server.
   *
   * @throws {AppError} `not_found` when there is none
   */
  get(id: number): McpServerView {
    if (id === BUILTIN_SERVER_ID) return this.#builtin();
    return this.#view(this.#row(id));
  }

  /** Registers a server and connects it. */
  async create(input: McpServerInput): Promise<McpServerView> {
    this.#entries.assertNameFree(input.name, null);
    const row = this.#entries.write(
      input.name,
      () => this.#repo.insert({ ...this.#plainFields(input), env: {}, headers: {} }),
    );
    const sealed = this.#repo.update(row.id, await this.#sealFields(row.id, input, null))!;
    this.#logger.info("MCP server registered", { id: row.id, name: row.name, transport: row.transport });
    await this.#connect(sealed);
    return this.#view(sealed);
  }

  /** Replaces a server's definition (masked values keep what is stored) and reconnects it. */
  async update(id: number, input: McpServerInput): Promise<McpServerView> {
    const before = this.#row(id);
    this.#entries.assertNameFree(input.name, id);
    const fields = await this.#sealFields(id, input, before);
    const row = this.#entries.write(input.name, () => this.#repo.update(id, fields)!);
    await this.#connections.get(id)?.stop();
    this.#connections.delete(id);
    await this.#connect(row);
    return this.#view(row);
  }

  /** Removes a server, ending its connection. */
  async remove(id: number): Promise<void> {
    this.#row(id);
    await this.#connections.get(id)?.stop();
    this.#connections.delete(id);
    this.#repo.delete(id);
    this.#bus.publish("mcp.changed", { id, server: null });
  }

  /** Drops and re-opens a server's connection, forgetting its past failures. */
  async reconnect(id: number): Promise<McpServerView> {
    const row = this.#row(id);
    if (!row.enabled) throw new AppError("conflict", `${row.name} is disabled: enable it first`);
    const connection = this.#connections.get(id);
    if (connection) await connection.reconnect();
    else await this.#connect(row);
    return this.#view(row);
  }

  /** Registers the servers of an `mcp.json` document; names already taken are skipped. */
  async importJson(servers: Record<string, unknown>): Promise<ImportOutcome> {
    const outcome: ImportOutcome = { created: [], skipped: [] };
    for (const entry of readMcpJson(servers)) {
      if ("error" in entry) {
        outcome.skipped.push({ name: entry.name, reason: entry.error });
        continue;
      }
      if (this.#repo.byName(entry.input.name)) {
        outcome.skipped.push({ name: entry.name, reason: "a server of this name is already registered" });
        continue;
      }
      outcome.created.push(await this.create(entry.input));
    }
    return outcome;
  }

  /** Every registered server as an `mcp.json` document, secrets masked. */
  exportJson(): ReturnType<typeof writeMcpJson> {
    return writeMcpJson(this.list());
  }

  /**
   * The connected server's tools.
   *
   * @throws {AppError} `not_found` when there is no such server
   */
  tools(id: number): McpToolInfo[] {
    return this.get(id).tools;
  }

  /** Calls a tool of a registered server. */
  async callTool(
    id: number,
    name: string,
    args: Record<string, unknown>,
    options: CallOptions,
  ): Promise<CallToolResult> {
    const connection = this.#connections.get(id);
    if (!connection) throw new Error(`MCP server ${id} is no longer registered`);
    return await connection.callTool(name, args, options);
  }

  /** A stdio server's process id while it runs. */
  pid(id: number): number | null {
    return this.#connections.get(id)?.pid ?? null;
  }

  /** Whether a server's `auto_approve` covers `tool`. */
  autoApproves(id: number, tool: string): boolean {
    const row = this.#repo.get(id);
    if (!row) return false;
    return row.auto_approve === true || (Array.isArray(row.auto_approve) && row.auto_approve.includes(tool));
  }

  #row(id: number): McpServerRow {
    return this.#entries.row(id);
  }

  #plainFields(input: McpServerInput): Omit<McpServerFields, "env" | "headers"> {
    return input.transport === "stdio"
      ? {
        name: input.name,
        transport: "stdio",
        command: input.command,
        args: input.args,
        cwd: input.cwd,
        url: null,
        enabled: input.enabled,
        auto_approve: input.auto_approve,
      }
      : {
        name: input.name,
        transport: "http",
        command: null,
        args: [],
        cwd: null,
        url: input.url,
        enabled: input.enabled,
        auto_approve: input.auto_approve,
      };
  }

  /** Seals new values; a masked value keeps the stored one (the API never shows values). */
  async #sealFields(
    id: number,
    input: McpServerInput,
    before: McpServerRow | null,
  ): Promise<McpServerFields> {
    const seal = async (field: "env" | "headers", values: Record<string, string>) => {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(values)) {
        const kept = before?.[field][name];
        if (value === SECRET_MASK && kept !== undefined && before?.transport === input.transport) {
          out[name] = kept;
        } else if (value === SECRET_MASK) {
          throw new AppError("invalid", `${field}.${name} has no stored value to keep: enter its value`, {
            fields: { [field]: `Enter the value of ${name}` },
          });
        } else out[name] = await this.#secrets.seal(value, id, field, name);
      }
      return out;
    };
    return {
      ...this.#plainFields(input),
      env: input.transport === "stdio" ? await seal("env", input.env) : {},
      headers: input.transport === "http" ? await seal("headers", input.headers) : {},
    };
  }

  async #target(row: McpServerRow): Promise<ConnectionTarget> {
    const open = async (field: "env" | "headers") => {
      const out: Record<string, string> = {};
      for (const [name, sealed] of Object.entries(row[field])) {
        out[name] = await this.#secrets.open(sealed, row.id, field, name);
      }
      return out;
    };
    return { ...row, env: await open("env"), headers: await open("headers") };
  }

  async #connect(row: McpServerRow): Promise<void> {
    if (this.#closed) {
      this.#publish(row.id);
      return;
    }
    let target: ConnectionTarget;
    try {
      target = await this.#target(row);
    } catch (error) {
      // The key file changed: show the server as failed, with the way out.
      target = { ...row, env: {}, headers: {}, enabled: false };
      const connection = new McpConnection(target, {
        logger: this.#logger,
        timing: this.#timing,
        onChange: () => this.#publish(row.id),
      });
      connection.state = "failed";
      connection.error = (error as Error).message;
      this.#connections.set(row.id, connection);
      this.#publish(row.id);
      return;
    }
    const connection = new McpConnection(target, {
      logger: this.#logger,
      timing: this.#timing,
      onChange: (c) => {
        if (this.#connections.get(row.id) === c) this.#publish(row.id);
      },
    });
    this.#connections.set(row.id, connection);
    connection.start();
  }

  #publish(id: number): void {
    const row = this.#repo.get(id);
    this.#bus.publish("mcp.changed", { id, server: row ? this.#view(row) : null });
  }

  #view(row: McpServerRow): McpServerView {
    const connection = this.#connections.get(row.id);
    return {
      id: row.id,
      name: row.name,
      transport: row.transport,
      command: row.command,
      args: row.args,
      cwd: row.cwd,
      url: row.url,
      env: mask(row.env),
      headers: mask(row.headers),
      enabled: row.enabled,
      auto_approve: row.auto_approve,
      state: !row.enabled ? "disabled" : connection?.state ?? "connecting",
      error: connection?.error ?? null,
      tools: connection?.state === "connected" ? connection.tools : [],
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  }

  #builtin(): McpServerView {
    return {
      id: BUILTIN_SERVER_ID,
      name: BUILTIN_SERVER_NAME,
      transport: "builtin",
      command: null,
      args: [],
      cwd: null,
      url: null,
      env: {},
      headers: {},
      enabled: true,
      auto_approve: true,
      state: "connected",
      error: null,
      tools: BUILTIN_TOOL_INFO,
      created_at: null,
      updated_at: null,
    };
  }
}
