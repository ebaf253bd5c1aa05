/**
 * MCP: the servers an admin registers (`registry.ts`), one SDK client per
 * enabled server (`connection.ts`, over stdio or Streamable HTTP), the tool
 * calls the chat waits on a person for (`confirmations.ts`), and the
 * `mcp.json` format (`mcp_json.ts`).
 *
 * @example
 * ```ts
 * import { McpServers } from "./services/mcp/mod.ts";
 * const mcp = new McpServers({ db, bus, secrets, logger });
 * await mcp.start();
 * mcp.list(); // the built-in server first, then the registered ones
 * ```
 *
 * @module
 */
export {
  BUILTIN_SERVER_ID,
  BUILTIN_SERVER_NAME,
  type ImportOutcome,
  McpServers,
  type McpServersOptions,
  viewFor,
} from "./registry.ts";
export { type CallOptions, type ConnectionTiming, DEFAULT_TIMING } from "./connection.ts";
export { Confirmations } from "./confirmations.ts";
export { ConfirmationInput, McpJson, McpServerInput } from "./schemas.ts";
