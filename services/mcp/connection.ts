/**
 * One MCP client for one registered server: connects (stdio in its own
 * process group, or Streamable HTTP falling back to the older SSE transport),
 * lists the tools (every page), keeps the list fresh on
 * `notifications/tools/list_changed`, and after an exit or a dropped
 * connection reconnects with exponential backoff, giving up (`failed`) after
 * too many failures in a short time or when the credentials are refused.
 *
 * @module
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport, SseError } from "@modelcontextprotocol/sdk/client/sse.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  type CallToolResult,
  ErrorCode,
  McpError,
  type Tool,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../../lib/logger.ts";
import type { McpServerSettings, McpState, McpToolInfo } from "../../lib/mcp_types.ts";
import { VERSION } from "../../lib/version.ts";
import { connectionReason } from "../platform/http1/reason.ts";
import { ProcessGroupTransport } from "./stdio_transport.ts";

/** A server with its secrets in clear, ready to connect. */
export interface ConnectionTarget extends Omit<McpServerSettings, "auto_approve"> {
  id: number;
}

/** Timing of connections. */
export interface ConnectionTiming {
  /** Milliseconds `initialize` may take. */
  connectTimeoutMs: number;
  /** First reconnect delay; it doubles per recent failure. */
  backoffBaseMs: number;
  /** Longest reconnect delay. */
  backoffMaxMs: number;
  /** Failures within {@link failureWindowMs} after which it stops retrying. */
  maxFailures: number;
  failureWindowMs: number;
}

/** The default timing: 1 s doubling to 60 s; five failures in ten minutes stop the retries. */
export const DEFAULT_TIMING: ConnectionTiming = {
  connectTimeoutMs: 30_000,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
  maxFailures: 5,
  failureWindowMs: 10 * 60_000,
};

/** Options of {@link McpConnection}. */
export interface ConnectionOptions {
  logger: Logger;
  timing: ConnectionTiming;
  /** Called after every change of state, error or tools. */
  onChange: (connection: McpConnection) => void;
}

/** Options of one call. */
export interface CallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Replaces every secret value (6 characters or more) in `text` with `***`. */
export function scrubber(secrets: string[]): (text: string) => string {
  const values = secrets.filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  return (text) => values.reduce((t, v) => t.replaceAll(v, "***"), text);
}

function toInfo(tool: Tool): McpToolInfo {
  return {
    name: tool.name,
    description: tool.description ?? tool.title ?? "",
    input_schema: (tool.inputSchema ?? { type: "object" }) as Record<string, unknown>,
    annotations: (tool.annotations ?? {}) as Record<string, unknown>,
  };
}

function httpStatus(error: unknown): number | undefined {
  if (error instanceof StreamableHTTPError || error instanceof SseError) {
    return (error as StreamableHTTPError).code;
  }
  return undefined;
}

/** The JSON-RPC error code of an SDK error. */
function rpcCode(error: unknown): number | undefined {
  return error instanceof McpError ? (error as McpError).code : undefined;
}

/**
 * The connection to one server.
 *
 * @example
 * ```ts
 * const conn = new McpConnection(target, { logger, timing: DEFAULT_TIMING, onChange: publish });
 * conn.start();
 * await conn.callTool("echo", { text: "hi" }, { timeoutMs: 30_000 });
 * await conn.stop();
 * ```
 */
export class McpConnection {
  state: McpState = "connecting";
  /** Why it is not connected, in words a person can act on. */
  error: string | null = null;
  tools: McpToolInfo[] = [];
  /** The stderr lines of the current or last process (stdio), secrets hidden. */
  stderr: string[] = [];

  readonly target: ConnectionTarget;
  readonly #options: ConnectionOptions;
  readonly #scrub: (text: string) => string;
  #client: Client | null = null;
  #transport: Transport | null = null;
  #generation = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #refresh: ReturnType<typeof setTimeout> | undefined;
  #failures: number[] = [];
  #stopped = false;

  constructor(target: ConnectionTarget, options: ConnectionOptions) {
    this.target = target;
    this.#options = options;
    this.#scrub = scrubber([...Object.values(target.env), ...Object.values(target.headers)]);
  }

  /** The stdio server's process id (its process group's id too), while it runs. */
  get pid(): number | null {
    const transport = this.#client ? this.#transport : null;
    return transport instanceof ProcessGroupTransport && !transport.exit ? transport.pid : null;
  }

  /** Connects in the background (or shows `disabled`). */
  start(): void {
    if (!this.target.enabled) {
      this.#set("disabled", null);
      return;
    }
    void this.#connect();
  }

  /** Drops the current connection, forgets past failures and connects again. */
  async reconnect(): Promise<void> {
    this.#failures = [];
    await this.#teardown();
    this.#stopped = false;
    this.start();
  }

  /** Closes the client and ends a stdio server's process group; no more reconnects. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#teardown();
  }

  /**
   * Calls a tool. Rejects when the server is not connected, the call times
   * out, is aborted, or the server goes away during it.
   */
  async callTool(name: string, args: Record<string, unknown>, options: CallOptions): Promise<CallToolResult> {
    const client = this.#client;
    if (this.state !== "connected" || !client) {
      throw new Error(
        `MCP server "${this.target.name}" is ${this.state}${this.error ? `: ${this.error}` : ""}`,
      );
    }
    try {
      return await client.callTool({ name, arguments: args }, undefined, {
        timeout: options.timeoutMs,
        signal: options.signal,
      }) as CallToolResult;
    } catch (error) {
      if (rpcCode(error) === ErrorCode.RequestTimeout) {
        throw new Error(`The tool did not answer within ${Math.round(options.timeoutMs / 100) / 10} s`);
      }
      if (rpcCode(error) === ErrorCode.ConnectionClosed) {
        throw new Error(`MCP server "${this.target.name}" disconnected during the call`);
      }
      throw new Error(this.#scrub((error as Error).message));
    }
  }

  async #teardown(): Promise<void> {
    this.#generation++;
    clearTimeout(this.#retry);
    clearTimeout(this.#refresh);
    const client = this.#client;
    this.#client = null;
    this.#transport = null;
    await client?.close().catch(() => {});
  }

  #set(state: McpState, error: string | null): void {
    this.state = state;
    this.error = error === null ? null : this.#scrub(error);
    this.#options.onChange(this);
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    clearTimeout(this.#retry);
    this.#set("connecting", null);
    const current = () => generation === this.#generation && !this.#stopped;
    try {
      const client = await this.#open(current);
      if (!current()) {
        await client.close().catch(() => {});
        return;
      }
      this.#client = client;
      await this.#listTools(client);
      if (!current()) return;
      this.#set("connected", null);
      this.#options.logger.info("MCP server connected", {
        server: this.target.name,
        tools: this.tools.length,
      });
    } catch (error) {
      if (!current()) return;
      const refused = [401, 403].includes(httpStatus(error) ?? 0);
      const message = this.#describe(error);
      const client = this.#client;
      this.#client = null;
      await client?.close().catch(() => {});
      await this.#transport?.close().catch(() => {});
      if (!current()) return;
      this.#options.logger.warn("MCP server cannot connect", { server: this.target.name, error: message });
      this.#failed(message, refused);
    }
  }

  /** Connects a client, falling back to the SSE transport for HTTP servers that only have that. */
  async #open(current: () => boolean): Promise<Client> {
    const { timing } = this.#options;
    const connectWith = async (transport: Transport) => {
      const client = new Client({ name: "mlx-manager", version: VERSION }, { capabilities: {} });
      this.#transport = transport;
      // Set before connecting: a server that answers and then exits at once must still count as a drop.
      client.onclose = () => {
        if (current() && this.#client === client) this.#dropped();
      };
      await client.connect(transport, { timeout: timing.connectTimeoutMs });
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        clearTimeout(this.#refresh);
        this.#refresh = setTimeout(() => {
          if (current() && this.#client === client) {
            this.#listTools(client).then(() => this.#options.onChange(this)).catch(() => {});
          }
        }, 300);
      });
      return client;
    };
    const t = this.target;
    if (t.transport === "stdio") {
      const transport = new ProcessGroupTransport({
        command: t.command ?? "",
        args: t.args,
        env: t.env,
        cwd: t.cwd,
        scrub: this.#scrub,
      });
      return await connectWith(transport);
    }
    const url = new URL(t.url ?? "");
    const requestInit = { headers: t.headers };
    try {
      return await connectWith(new StreamableHTTPClientTransport(url, { requestInit }));
    } catch (error) {
      // Servers that only speak the 2024-11-05 HTTP+SSE transport refuse the POST.
      if (![400, 404, 405].includes(httpStatus(error) ?? 0) || !current()) throw error;
      return await connectWith(new SSEClientTransport(url, { requestInit }));
    }
  }

  async #listTools(client: Client): Promise<void> {
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await client.listTools(cursor ? { cursor } : undefined, {
        timeout: this.#options.timing.connectTimeoutMs,
      });
      tools.push(...result.tools.map(toInfo));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    this.tools = tools;
  }

  #dropped(): void {
    const transport = this.#transport;
    this.#client = null;
    const exit = transport instanceof ProcessGroupTransport ? transport.exit : null;
    if (transport instanceof ProcessGroupTransport) this.stderr = transport.stderrTail();
    const tail = this.stderr.slice(-5).join("\n");
    const message = exit
      ? `The server exited (${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`})` +
        (tail ? `. Last lines of its stderr:\n${tail}` : "")
      : `The connection to ${this.target.url ?? "the server"} was lost`;
    this.#options.logger.warn("MCP server disconnected", { server: this.target.name, error: message });
    this.#failed(message, false);
  }

  /** Records a failure, then schedules a retry or gives up. */
  #failed(message: string, final: boolean): void {
    const { timing } = this.#options;
    const now = Date.now();
    this.#failures = [...this.#failures.filter((t) => now - t < timing.failureWindowMs), now];
    if (final || this.#failures.length >= timing.maxFailures) {
      this.#set(
        "failed",
        final
          ? message
          : `${message}\nGave up after ${this.#failures.length} failures: fix it, then reconnect`,
      );
      return;
    }
    this.#set("disconnected", message);
    const delay = Math.min(timing.backoffMaxMs, timing.backoffBaseMs * 2 ** (this.#failures.length - 1));
    const generation = this.#generation;
    this.#retry = setTimeout(() => {
      if (generation === this.#generation && !this.#stopped) void this.#connect();
    }, delay);
  }

  #describe(error: unknown): string {
    const t = this.target;
    const transport = this.#transport;
    if (t.transport === "stdio") {
      const stdio = transport instanceof ProcessGroupTransport ? transport : null;
      this.stderr = stdio?.stderrTail() ?? [];
      const tail = this.stderr.slice(-5).join("\n");
      const withTail = (text: string) => tail ? `${text}. Last lines of its stderr:\n${tail}` : text;
      if (stdio?.exit) {
        const how = stdio.exit.signal ? `signal ${stdio.exit.signal}` : `code ${stdio.exit.code}`;
        return withTail(`"${t.command}" exited (${how}) before it finished the MCP handshake`);
      }
      if (rpcCode(error) === ErrorCode.RequestTimeout) {
        const seconds = Math.round(this.#options.timing.connectTimeoutMs / 1000);
        return withTail(
          `"${t.command}" did not answer the MCP handshake within ${seconds} s: check that it is an MCP server speaking stdio`,
        );
      }
      return withTail((error as Error).message);
    }
    const status = httpStatus(error);
    if (status === 401 || status === 403) {
      return `${t.url} refused the credentials (HTTP ${status}): check the headers, e.g. Authorization`;
    }
    if (status !== undefined && status > 0) return `${t.url} answered HTTP ${status}: is it an MCP endpoint?`;
    if (rpcCode(error) === ErrorCode.RequestTimeout) {
      return `${t.url} did not answer the MCP handshake within ${
        Math.round(this.#options.timing.connectTimeoutMs / 1000)
      } s`;
    }
    if (error instanceof TypeError) return `Cannot reach ${t.url}: ${connectionReason(error)}`;
    return `${t.url}: ${(error as Error).message}`;
  }
}
