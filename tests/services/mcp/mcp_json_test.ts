import assert from "node:assert/strict";
import { readMcpJson, writeMcpJson } from "../../../services/mcp/mcp_json.ts";
import { type McpServerView, SECRET_MASK } from "../../../lib/mcp_types.ts";

Deno.test("readMcpJson() reads stdio and http entries and says why others are skipped", () => {
  const entries = readMcpJson({
    files: { command: "npx", args: ["-y", "server-files"], env: { TOKEN: "t0ken-value" } },
    remote: { url: "https://example.com/mcp", headers: { Authorization: "Bearer x" } },
    off: { command: "x", disabled: true },
    empty: {},
    masked: { command: "x", env: { TOKEN: SECRET_MASK } },
    bad: { url: "ftp://x" },
  });
  assert.deepEqual(entries.map((e) => "error" in e ? [e.name, e.error] : [e.name, e.input.transport]), [
    ["files", "stdio"],
    ["remote", "http"],
    ["off", "stdio"],
    ["empty", "an entry needs a command (stdio) or a url (http)"],
    ["masked", "it holds masked values from an export: enter the real values"],
    ["bad", "url: url must be an http(s) URL"],
  ]);
  const off = entries[2] as { input: { enabled: boolean } };
  assert.equal(off.input.enabled, false);
});

Deno.test("writeMcpJson() writes the shared format without the built-in server", () => {
  const base = {
    id: 1,
    cwd: null,
    enabled: true,
    auto_approve: false,
    state: "connected" as const,
    error: null,
    tools: [] as McpServerView["tools"],
    created_at: null,
    updated_at: null,
  };
  const servers: McpServerView[] = [
    {
      ...base,
      id: 0,
      name: "Built-in",
      transport: "builtin",
      command: null,
      args: [],
      url: null,
      env: {},
      headers: {},
    },
    {
      ...base,
      name: "files",
      transport: "stdio",
      command: "npx",
      args: ["a"],
      url: null,
      env: { T: SECRET_MASK },
      headers: {},
    },
    {
      ...base,
      name: "remote",
      transport: "http",
      command: null,
      args: [],
      url: "https://x/mcp",
      env: {},
      headers: { Authorization: SECRET_MASK },
      enabled: false,
    },
  ];
  assert.deepEqual(writeMcpJson(servers), {
    mcpServers: {
      files: { command: "npx", args: ["a"], env: { T: SECRET_MASK } },
      remote: { url: "https://x/mcp", headers: { Authorization: SECRET_MASK }, disabled: true },
    },
  });
});
