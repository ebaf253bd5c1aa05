/**
 * The tool-calling part of the chat's tool loop: which tools a turn offers
 * (the built-in ones the request sends, plus the tools of the MCP servers it
 * names, under names unique per server), and running one call — asking the
 * user first when the tool is not read-only and not auto-approved, with a
 * time limit and an output limit, turning every failure into a result the
 * model can read.
 *
 * @module
 */
import { AppError } from "../../../lib/errors.ts";
import type { Logger } from "../../../lib/logger.ts";
import type { ChatEvent, ToolCall } from "../../../lib/chat/types.ts";
import type { McpToolInfo } from "../../../lib/mcp_types.ts";
import { BUILTIN_SERVER_ID, type McpServers } from "../../mcp/mod.ts";
import type { Confirmations } from "../../mcp/confirmations.ts";
import { functionName, UniqueNames } from "../../mcp/names.ts";
import { limitText, toolOutput } from "../../mcp/results.ts";
import { BUILTIN_TOOLS, executeTool, parseToolArguments, type ToolDefinition } from "./mod.ts";

/** What {@link ToolRunner} needs. */
export interface ToolRunnerOptions {
  mcp: McpServers;
  confirmations: Confirmations;
  logger: Logger;
  /** `MLX_MANAGER_MCP_TOOL_TIMEOUT` in milliseconds. */
  toolTimeoutMs: number;
  /** `MLX_MANAGER_MCP_MAX_OUTPUT`. */
  maxOutput: number;
  /** `MLX_MANAGER_MCP_CONFIRM_TIMEOUT` in milliseconds. */
  confirmTimeoutMs: number;
}

/** An MCP tool as offered in one turn. */
export interface OfferedTool {
  serverId: number;
  serverName: string;
  tool: McpToolInfo;
}

/** The tools one turn offers beyond the request's own. */
export interface ToolCatalog {
  /** Definitions to add to the request's `tools`. */
  definitions: ToolDefinition[];
  /** Function name → MCP tool. */
  byName: Map<string, OfferedTool>;
}

/** How one call ended. */
export interface ToolRun {
  content: string;
  isError: boolean;
  truncated: boolean;
  server?: string;
}

/** What a call runs with. */
export interface RunContext {
  catalog: ToolCatalog;
  userId: number;
  sink: (event: ChatEvent) => unknown;
  signal: AbortSignal;
}

/** The text the model gets when the user says no (or does not answer). */
export const DECLINED =
  "The user declined to run this tool, so it was not called. Do not call it again unless asked.";

/**
 * Runs the turn's tool calls.
 *
 * @example
 * ```ts
 * const catalog = runner.catalog([3], ["get_weather"]);
 * const run = await runner.run(call, { catalog, userId, sink, signal });
 * ```
 */
export class ToolRunner {
  readonly #options: ToolRunnerOptions;

  constructor(options: ToolRunnerOptions) {
    this.#options = options;
  }

  /**
   * The tools of the servers named by `serverIds` (0 is the built-in server).
   * `reserved` are names the request already uses. Throws `not_found` for an
   * unknown server.
   */
  catalog(serverIds: number[], reserved: string[]): ToolCatalog {
    const names = new UniqueNames(reserved);
    const catalog: ToolCatalog = { definitions: [], byName: new Map() };
    for (const id of new Set(serverIds)) {
      if (id === BUILTIN_SERVER_ID) {
        for (const tool of BUILTIN_TOOLS) {
          if (!reserved.includes(tool.function.name)) catalog.definitions.push(tool);
          names.take(tool.function.name);
        }
        continue;
      }
      let server;
      try {
        server = this.#options.mcp.get(id);
      } catch (error) {
        if (error instanceof AppError && error.code === "not_found") {
          throw new AppError("not_found", `MCP server ${id} not found: pick servers from the list again`, {
            fields: { mcp_servers: `Unknown server ${id}` },
          });
        }
        throw error;
      }
      for (const tool of server.tools) {
        const fn = names.take(functionName(server.name, tool.name));
        catalog.byName.set(fn, { serverId: id, serverName: server.name, tool });
        catalog.definitions.push({
          type: "function",
          function: {
            name: fn,
            description: tool.description
              ? `${tool.description} (${server.name})`
              : `${tool.name} (${server.name})`,
            parameters: tool.input_schema,
          },
        });
      }
    }
    return catalog;
  }

  /** Runs one call. Never throws: every failure is a result for the model. */
  async run(call: ToolCall, context: RunContext): Promise<ToolRun> {
    const fn = call.function.name;
    const parsed = parseToolArguments(call.function.arguments);
    const offered = context.catalog.byName.get(fn);
    if (!offered) {
      const result = parsed.ok ? executeTool(fn, parsed.args) : { error: parsed.error };
      return { content: JSON.stringify(result), isError: "error" in result, truncated: false };
    }
    const server = offered.serverName;
    if (!parsed.ok) return { content: `Error: ${parsed.error}`, isError: true, truncated: false, server };
    const { serverId, tool } = offered;
    const { mcp, confirmations, logger } = this.#options;
    const readOnly = tool.annotations.readOnlyHint === true;
    if (!readOnly && !mcp.autoApproves(serverId, tool.name)) {
      context.sink({
        type: "tool_confirm",
        tool_call_id: call.id,
        name: fn,
        tool: tool.name,
        server,
        server_id: serverId,
        arguments: parsed.args,
        timeout: Math.round(this.#options.confirmTimeoutMs / 1000),
      });
      const approved = await confirmations.ask(
        context.userId,
        call.id,
        this.#options.confirmTimeoutMs,
        context.signal,
      );
      logger.info("MCP tool confirmation", { server, tool: tool.name, approved });
      if (!approved) return { content: DECLINED, isError: true, truncated: false, server };
    }
    const started = performance.now();
    try {
      const result = await mcp.callTool(serverId, tool.name, parsed.args, {
        timeoutMs: this.#options.toolTimeoutMs,
        signal: context.signal,
      });
      const output = toolOutput(result, this.#options.maxOutput);
      logger.info("MCP tool called", {
        server,
        tool: tool.name,
        ms: Math.round(performance.now() - started),
        is_error: output.isError,
        chars: output.content.length,
      });
      return { ...output, server };
    } catch (error) {
      const message = (error as Error).message;
      logger.info("MCP tool failed", { server, tool: tool.name, error: message });
      const cut = limitText(`Error: ${message}`, this.#options.maxOutput);
      return { content: cut.text, isError: true, truncated: cut.truncated, server };
    }
  }
}
