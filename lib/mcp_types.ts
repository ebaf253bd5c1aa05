/**
 * MCP servers as the API, the event bus and the pages show them.
 * Browser-safe: imported by services and islands alike.
 *
 * @module
 */

/** The life of a server's connection. */
export type McpState = "connecting" | "connected" | "disconnected" | "failed" | "disabled";

/** A tool a server offers. */
export interface McpToolInfo {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
  /** MCP's ToolAnnotations (`readOnlyHint`, `destructiveHint`, …), as the server sent them. */
  annotations: Record<string, unknown>;
}

/** Which tools of a server run without asking: none, all, or those named. */
export type AutoApprove = boolean | string[];

/**
 * How a registered server is reached and what it may do: the fields an
 * admin sets, the same in the store, the answers and the connection.
 */
export interface McpServerSettings {
  name: string;
  transport: "stdio" | "http";
  command: string | null;
  args: string[];
  cwd: string | null;
  url: string | null;
  /** Names to values: sealed when stored, {@link SECRET_MASK} when shown, clear when connecting. */
  env: Record<string, string>;
  /** Names to values, kept like `env`. */
  headers: Record<string, string>;
  enabled: boolean;
  auto_approve: AutoApprove;
}

/** What stands for a secret value in every answer. */
export const SECRET_MASK = "********";

/** A registered server. Values of `env` and `headers` are always {@link SECRET_MASK}. */
export interface McpServerView extends Omit<McpServerSettings, "transport"> {
  /** 0 is the built-in server. */
  id: number;
  transport: McpServerSettings["transport"] | "builtin";
  state: McpState;
  /** Why it is not connected, in words a person can act on. */
  error: string | null;
  tools: McpToolInfo[];
  created_at: string | null;
  updated_at: string | null;
}
