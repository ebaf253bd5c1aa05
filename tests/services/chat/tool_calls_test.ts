import assert from "node:assert/strict";
import type { ToolCall } from "../../../lib/chat/types.ts";
import { callsNotRun } from "../../../services/chat/tool_calls.ts";
import { BUILTIN_TOOLS } from "../../../services/chat/tools/mod.ts";
import type { ToolCatalog } from "../../../services/chat/tools/runner.ts";

function call(name: string, index = 0): ToolCall {
  return { index, id: `call_${index}`, type: "function", function: { name, arguments: "{}" } };
}

const empty: ToolCatalog = { definitions: [], byName: new Map() };
const mcp: ToolCatalog = {
  definitions: [{ type: "function", function: { name: "files_read", description: "", parameters: {} } }],
  byName: new Map([["files_read", {
    serverId: 3,
    serverName: "files",
    tool: { name: "read" } as never,
  }]]),
};

Deno.test("callsNotRun() says every call is not run while tools are off, naming each tool once", () => {
  assert.deepEqual(
    callsNotRun([call("get_weather"), call("get_weather", 1), call("calculate", 2)], {
      runTools: false,
      requestTools: [...BUILTIN_TOOLS],
      catalog: empty,
    }),
    { reason: "tools_off", names: ["get_weather", "calculate"] },
  );
  assert.equal(callsNotRun([], { runTools: false, requestTools: [], catalog: empty }), null);
});

Deno.test("callsNotRun() runs offered built-in and MCP tools, and names the ones no one offered", () => {
  const builtins = { runTools: true, requestTools: [...BUILTIN_TOOLS], catalog: empty };
  assert.equal(callsNotRun([call("get_weather")], builtins), null);
  assert.equal(callsNotRun([call("files_read")], { ...builtins, requestTools: [], catalog: mcp }), null);
  // A built-in tool runs only when it was offered: here only an MCP server was picked.
  assert.deepEqual(
    callsNotRun([call("files_read"), call("get_weather", 1)], {
      runTools: true,
      requestTools: [],
      catalog: mcp,
    }),
    { reason: "unavailable", names: ["get_weather"] },
  );
  // The built-in server (id 0) offers them through the catalog's definitions.
  const viaServer = { definitions: [...BUILTIN_TOOLS], byName: new Map() };
  assert.equal(
    callsNotRun([call("calculate")], { runTools: true, requestTools: [], catalog: viaServer }),
    null,
  );
  // A tool the request defined itself is not one the chat can run.
  const own = [{ type: "function", function: { name: "lookup_order" } }];
  assert.deepEqual(
    callsNotRun([call("lookup_order")], { runTools: true, requestTools: own, catalog: empty }),
    { reason: "unavailable", names: ["lookup_order"] },
  );
});
