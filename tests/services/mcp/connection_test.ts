import assert from "node:assert/strict";
import { type ConnectionTarget, DEFAULT_TIMING, McpConnection } from "../../../services/mcp/connection.ts";
import { createLogger } from "../../../lib/logger.ts";
import { waitFor } from "../../helpers/net.ts";
import { startHttpFixture, stdioFixture } from "../../fixtures/mcp_launch.ts";

const FAST = { ...DEFAULT_TIMING, backoffBaseMs: 50, backoffMaxMs: 200, connectTimeoutMs: 15_000 };

function stdioTarget(env: Record<string, string> = {}): ConnectionTarget {
  const f = stdioFixture("fixture", env);
  return {
    id: 1,
    name: f.name,
    transport: "stdio",
    command: f.command,
    args: f.args,
    cwd: null,
    env,
    url: null,
    headers: {},
    enabled: true,
  };
}

function connect(target: ConnectionTarget, logs: string[] = [], timing = FAST) {
  const states: string[] = [];
  const conn = new McpConnection(target, {
    logger: createLogger("debug", (line) => logs.push(line)),
    timing,
    onChange: (c) => {
      if (states.at(-1) !== c.state) states.push(c.state);
    },
  });
  conn.start();
  return { conn, states, [Symbol.asyncDispose]: () => conn.stop() };
}

async function records(file: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(file).catch(() => "");
  return text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

Deno.test("McpConnection lists a stdio server's tools with their annotations and calls one", async () => {
  await using c = connect(stdioTarget());
  await waitFor(() => c.conn.state === "connected", "connected");
  const names = c.conn.tools.map((t) => t.name);
  for (
    const name of ["echo", "write_note", "slow", "fail", "big", "mixed", "env_dump", "add_tool", "crash"]
  ) {
    assert.ok(names.includes(name), name);
  }
  const echo = c.conn.tools.find((t) => t.name === "echo")!;
  assert.equal(echo.annotations.readOnlyHint, true);
  assert.equal(echo.description, "Repeats the text");
  assert.equal((echo.input_schema.properties as Record<string, unknown>).text !== undefined, true);
  const result = await c.conn.callTool("echo", { text: "hi" }, { timeoutMs: 5000 });
  assert.deepEqual(result.content, [{ type: "text", text: "hi" }]);
});

Deno.test("McpConnection gives a stdio server only the basic environment plus its own env", async () => {
  await using c = connect(stdioTarget({ EXTRA_SETTING: "1" }));
  await waitFor(() => c.conn.state === "connected", "connected");
  const result = await c.conn.callTool("env_dump", {}, { timeoutMs: 5000 });
  const names: string[] = JSON.parse((result.content[0] as { text: string }).text);
  assert.ok(names.includes("EXTRA_SETTING"));
  assert.ok(names.includes("PATH"));
  assert.deepEqual(names.filter((n) => n.startsWith("MLX_MANAGER") || n === "HF_TOKEN"), []);
  assert.ok(
    names.every((n) => ["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "EXTRA_SETTING"].includes(n)),
    names.join(),
  );
});

Deno.test("McpConnection.callTool() times out a hung tool and the server sees the cancellation", async () => {
  const record = await Deno.makeTempFile();
  await using c = connect(stdioTarget({ MCP_FIXTURE_RECORD: record }));
  await waitFor(() => c.conn.state === "connected", "connected");
  await assert.rejects(
    c.conn.callTool("slow", { ms: 60_000 }, { timeoutMs: 300 }),
    /did not answer within 0.3 s/,
  );
  await waitFor(
    async () => (await records(record)).some((r) => r.event === "cancelled"),
    "cancellation seen",
  );
  // The connection survives a timed-out call.
  const again = await c.conn.callTool("echo", { text: "still here" }, { timeoutMs: 5000 });
  assert.deepEqual(again.content, [{ type: "text", text: "still here" }]);
  await Deno.remove(record);
});

Deno.test("McpConnection shows a crashed server as disconnected with its exit and stderr, then reconnects", async () => {
  await using c = connect(stdioTarget({ MCP_FIXTURE_TOKEN: "tok-secret-42" }));
  await waitFor(() => c.conn.state === "connected", "connected");
  await assert.rejects(c.conn.callTool("crash", {}, { timeoutMs: 5000 }), /disconnected during the call/);
  await waitFor(() => c.conn.state === "connected" && c.states.includes("disconnected"), "reconnected");
  assert.deepEqual(c.states, ["connecting", "connected", "disconnected", "connecting", "connected"]);
  assert.ok(
    c.conn.stderr.some((l) => l.includes("fixture starting with token ***")),
    c.conn.stderr.join("|"),
  );
  assert.ok(c.conn.stderr.every((l) => !l.includes("tok-secret-42")));
  const result = await c.conn.callTool("echo", { text: "back" }, { timeoutMs: 5000 });
  assert.deepEqual(result.content, [{ type: "text", text: "back" }]);
});

Deno.test("McpConnection gives up after repeated failed starts, with the exit code and stderr, until reconnected", async () => {
  const timing = { ...FAST, maxFailures: 3 };
  await using c = connect(stdioTarget({ MCP_FIXTURE_EXIT: "7" }), [], timing);
  await waitFor(() => c.conn.state === "failed", "failed", 30_000);
  assert.match(c.conn.error!, /exited \(code 7\) before it finished the MCP handshake/);
  assert.match(c.conn.error!, /fatal: the fixture was told to fail at start/);
  assert.match(c.conn.error!, /Gave up after 3 failures/);
  // Two retries after the first failure, then no more.
  assert.deepEqual(c.states, [
    "connecting",
    "disconnected",
    "connecting",
    "disconnected",
    "connecting",
    "failed",
  ]);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(c.states.length, 6, "no retry after giving up");
  await c.conn.reconnect();
  await waitFor(
    () => c.states.length > 6 && c.conn.state === "failed",
    "failed again after a manual reconnect",
  );
  assert.deepEqual(c.states.slice(6, 8), ["connecting", "disconnected"]);
});

Deno.test("McpConnection reports a command that does not exist in words", async () => {
  const target = { ...stdioTarget(), command: "/nonexistent/mcp-server" };
  await using c = connect(target, [], { ...FAST, maxFailures: 1 });
  await waitFor(() => c.conn.state === "failed", "failed");
  assert.match(c.conn.error!, /Cannot start "\/nonexistent\/mcp-server": the command was not found/);
});

Deno.test("McpConnection.stop() ends the stdio server's whole process group", async () => {
  const c = connect(stdioTarget());
  await waitFor(() => c.conn.state === "connected", "connected");
  const pid = c.conn.pid!;
  assert.ok(pid > 0);
  // The server leads its own group: signalling -pid reaches it.
  assert.equal(alive(-pid), true);
  await c.conn.stop();
  assert.equal(alive(-pid), false);
  assert.equal(c.conn.pid, null);
});

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

Deno.test("McpConnection over Streamable HTTP: refused credentials fail at once, the right header connects", async () => {
  await using fixture = await startHttpFixture({ MCP_FIXTURE_TOKEN: "s3cret-token" });
  const base: ConnectionTarget = {
    id: 2,
    name: "remote",
    transport: "http",
    command: null,
    args: [],
    cwd: null,
    env: {},
    url: fixture.url,
    headers: {},
    enabled: true,
  };
  {
    await using c = connect(base);
    await waitFor(() => c.conn.state === "failed", "failed");
    assert.match(c.conn.error!, /refused the credentials \(HTTP 401\): check the headers/);
  }
  await using c = connect({ ...base, headers: { Authorization: "Bearer s3cret-token" } });
  await waitFor(() => c.conn.state === "connected", "connected");
  const result = await c.conn.callTool("echo", { text: "over http" }, { timeoutMs: 5000 });
  assert.deepEqual(result.content, [{ type: "text", text: "over http" }]);
});

Deno.test("McpConnection refreshes the tools when the server announces tools/list_changed", async () => {
  await using c = connect(stdioTarget());
  await waitFor(() => c.conn.state === "connected", "connected");
  assert.ok(!c.conn.tools.some((t) => t.name === "extra_1"));
  await c.conn.callTool("add_tool", {}, { timeoutMs: 5000 });
  await waitFor(() => c.conn.tools.some((t) => t.name === "extra_1"), "extra_1 listed");
});
