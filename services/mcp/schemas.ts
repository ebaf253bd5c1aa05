/**
 * Input schemas of the MCP servers API.
 *
 * @module
 */
import { z } from "zod";

const Name = z.string({ error: "name is required" }).trim()
  .min(1, "name is required")
  .max(64, "name must be at most 64 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, "name may hold letters, digits, spaces, _ . and -");

const Value = z.string({ error: "values must be strings" }).max(
  16_384,
  "values must be at most 16384 characters",
);

const EnvMap = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "environment variable names are letters, digits and _"),
  Value,
  { error: "env must be an object of names to strings" },
).refine((m) => Object.keys(m).length <= 100, "at most 100 environment variables");

const HeaderMap = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "header names are letters, digits and -"),
  Value.regex(/^[^\r\n]*$/, "header values cannot span lines"),
  { error: "headers must be an object of names to strings" },
).refine((m) => Object.keys(m).length <= 100, "at most 100 headers");

/** `false`, `true`, or the names of the tools that run without asking. */
export const AutoApprove = z.union([
  z.boolean(),
  z.array(z.string().min(1).max(128)).max(500),
], { error: "auto_approve must be true, false or a list of tool names" });

const Common = {
  name: Name,
  enabled: z.boolean({ error: "enabled must be true or false" }).default(true),
  auto_approve: AutoApprove.default(false),
};

const Stdio = z.object({
  ...Common,
  transport: z.literal("stdio"),
  command: z.string({ error: "command is required" }).trim().min(1, "command is required").max(4096),
  args: z.array(z.string().max(16_384), { error: "args must be a list of strings" }).max(200).default([]),
  env: EnvMap.default({}),
  cwd: z.string().trim().max(4096).refine((p) => p.startsWith("/"), "cwd must be an absolute path")
    .nullable().optional().transform((v) => v || null),
});

const Http = z.object({
  ...Common,
  transport: z.literal("http"),
  url: z.string({ error: "url is required" }).trim().max(4096).refine(
    (u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol),
    "url must be an http(s) URL",
  ),
  headers: HeaderMap.default({}),
});

/**
 * `POST /api/mcp/servers` and `PUT /api/mcp/servers/{id}`. On PUT, an env or
 * header value equal to the mask the API shows keeps the stored value.
 */
export const McpServerInput = z.discriminatedUnion("transport", [Stdio, Http], {
  error: 'transport must be "stdio" or "http"',
});

/** A validated server definition. */
export type McpServerInput = z.output<typeof McpServerInput>;

/** One entry of an `mcp.json` (LM Studio, Claude Desktop and Cursor write this shape). */
export const McpJsonEntry = z.looseObject({
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().optional(),
  url: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  disabled: z.boolean().optional(),
});

/** `POST /api/mcp/import`: `{"mcpServers": {name: entry}}`. */
export const McpJson = z.object({
  mcpServers: z.record(z.string(), z.unknown(), { error: "mcpServers must be an object of servers" })
    .refine((m) => Object.keys(m).length <= 200, "at most 200 servers per import"),
}, { error: 'Send an mcp.json object: {"mcpServers": {…}}' });

/** `POST /api/chat/tool-confirmations/{tool_call_id}`. */
export const ConfirmationInput = z.object({
  approve: z.boolean({ error: "approve must be true or false" }),
});
