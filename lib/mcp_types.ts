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

/** What stands for a secret value in every answer. */
export const SECRET_MASK = "********";

/** A registered server. Values of `env` and `headers` are always {@link SECRET_MASK}. */
export interface McpServerView {
  /** 0 is the built-in server. */
  id: number;
  name: string;
  transport: "stdio" | "http" | "builtin";
  command: string | null;
  args: string[];
  cwd: string | null;
  url: string | null;
  env: Record<string, string>;
  headers: Record<string, string>;
  enabled: boolean;
  /** Which tools run without asking: none, all, or those named. */
  auto_approve: boolean | string[];
  state: McpState;
  /** Why it is not connected, in words a person can act on. */
  error: string | null;
  tools: McpToolInfo[];
  created_at: string | null;
  updated_at: string | null;
}
