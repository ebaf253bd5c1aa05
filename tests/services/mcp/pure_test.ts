import assert from "node:assert/strict";
import { functionName, sanitize, UniqueNames } from "../../../services/mcp/names.ts";
import { limitText, toolOutput } from "../../../services/mcp/results.ts";
import { readMcpJson, writeMcpJson } from "../../../services/mcp/mcp_json.ts";
import { Confirmations } from "../../../services/mcp/confirmations.ts";
import { type McpServerView, SECRET_MASK } from "../../../lib/mcp_types.ts";

Deno.test("functionName() prefixes the server, sanitizes, and keeps long names within 64 characters", () => {
  assert.equal(functionName("GitHub", "search_repositories"), "GitHub__search_repositories");
  assert.equal(functionName("my files", "read.file"), "my_files__read_file");
  assert.equal(sanitize("..."), "tool");
  const long = functionName("a".repeat(40), "b".repeat(40));
  assert.equal(long.length, 64);
  assert.match(long, /^[A-Za-z0-9_-]+$/);
  assert.notEqual(long, functionName("a".repeat(40), "b".repeat(41)));
});

Deno.test("UniqueNames.take() keeps reserved names free and numbers repeats", () => {
  const names = new UniqueNames(["calculate"]);
  assert.equal(names.take("calculate"), "calculate_2");
  assert.equal(names.take("x__echo"), "x__echo");
  assert.equal(names.take("x__echo"), "x__echo_2");
  assert.equal(names.take("c".repeat(64)).length, 64);
  assert.equal(names.take("c".repeat(64)), "c".repeat(62) + "_2");
});

Deno.test("toolOutput() joins text, includes text resources, describes images and links, marks errors", () => {
  const out = toolOutput({
    content: [
      { type: "text", text: "here" },
      { type: "image", data: btoa("x".repeat(3000)), mimeType: "image/png" },
      { type: "resource", resource: { uri: "file:///n.txt", text: "body" } },
      { type: "resource_link", uri: "file:///b.bin", name: "b.bin" },
    ],
  }, 1000);
  assert.equal(
    out.content,
    "here\n[image: image/png, 3 KB]\n[resource: file:///n.txt]\nbody\n[resource: file:///b.bin (b.bin)]",
  );
  assert.equal(out.isError, false);
  assert.deepEqual(toolOutput({ content: [], structuredContent: { a: 1 } }, 100).content, '{"a":1}');
  assert.deepEqual(toolOutput({ content: [{ type: "text", text: "boom" }], isError: true }, 100), {
    content: "Error: boom",
    isError: true,
    truncated: false,
  });
});

Deno.test("limitText() cuts at the limit and says how much was shown", () => {
  assert.deepEqual(limitText("abc", 3), { text: "abc", truncated: false });
  assert.deepEqual(limitText("abcdef", 3), {
    text: "abc\n[output truncated: 3 of 6 characters shown]",
    truncated: true,
  });
});

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

Deno.test("Confirmations: only the asking user answers; time-out and abort count as no", async () => {
  const c = new Confirmations();
  const yes = c.ask(1, "call_a", 5000);
  assert.equal(c.answer(2, "call_a", true), false, "another user cannot answer");
  assert.equal(c.answer(1, "call_a", true), true);
  assert.equal(await yes, true);
  assert.equal(c.answer(1, "call_a", true), false, "answered once");
  assert.equal(await c.ask(1, "call_b", 10), false);
  const controller = new AbortController();
  const aborted = c.ask(1, "call_c", 5000, controller.signal);
  controller.abort();
  assert.equal(await aborted, false);
  const refused = c.ask(1, "call_d", 5000);
  c.answer(1, "call_d", false);
  assert.equal(await refused, false);
});
