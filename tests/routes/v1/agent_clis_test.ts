import assert from "node:assert/strict";
import { startGateway } from "./setup.ts";
import { runAgentCli } from "../../helpers/agent_clis.ts";
import { waitFor } from "../../helpers/net.ts";
import { recorder } from "./bridge_helpers.ts";

/** The fake model calls the first shell tool it is offered, then answers with the tool's output. */
const AGENT = { agent_tools: "Bash,shell,exec_command", agent_command: "echo agent-$((6*7))" };
/** What only running the command prints: the command itself does not contain it. */
const OUTPUT = "agent-42";

Deno.test("Claude Code: one turn runs its Bash tool through /v1/messages and answers with the command's output", async () => {
  await using gw = await startGateway();
  await using rec = await recorder();
  await gw.profile({ name: "qwen-coder" }, { ...AGENT, record: rec.file });
  const { key } = await gw.key();
  const run = await runAgentCli(
    "claude",
    [
      "-p",
      "Run the shell command and tell me what it printed",
      "--model",
      "qwen-coder",
      "--allowedTools",
      "Bash",
    ],
    () => ({
      ANTHROPIC_BASE_URL: gw.url,
      ANTHROPIC_AUTH_TOKEN: key,
      ANTHROPIC_DEFAULT_HAIKU_MODEL: "qwen-coder",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_AUTOUPDATER: "1",
    }),
  );
  assert.equal(run.code, 0, `claude failed: ${run.stderr}\n${run.stdout}`);
  assert.match(run.stdout, new RegExp(`The command printed: ${OUTPUT}`), run.stdout);

  const sent = await rec.bodies();
  const call = sent.find((b) => (b.messages as { role: string }[]).some((m) => m.role === "tool"));
  assert.ok(call, "the tool's result came back to the model");
  const messages = call.messages as { role: string; content: unknown }[];
  assert.equal(
    messages[0].role,
    "system",
    "Claude Code's system prompt and mid-conversation system entry lead",
  );
  assert.equal(messages.filter((m) => m.role === "system").length, 1);
  assert.match(String(messages.find((m) => m.role === "tool")!.content), new RegExp(OUTPUT));
  const rows = await waitFor(() => {
    const data = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 20 }).data
      .filter((r) => r.model === "qwen-coder");
    return data.length >= 2 && data;
  }, "the turns' activity rows");
  assert.ok(rows.every((r) => r.endpoint === "/v1/messages" && r.outcome === "ok"), JSON.stringify(rows));
});

Deno.test("Codex: `codex exec` runs its shell tool through /v1/responses and answers with the command's output", async () => {
  await using gw = await startGateway();
  await using rec = await recorder();
  await gw.profile({ name: "qwen-coder" }, { ...AGENT, record: rec.file });
  const { key } = await gw.key();
  const run = await runAgentCli(
    "codex",
    [
      "exec",
      "--skip-git-repo-check",
      "--dangerously-bypass-approvals-and-sandbox",
      "Run the shell command and tell me what it printed",
    ],
    async (home) => {
      await Deno.writeTextFile(
        `${home}/config.toml`,
        [
          `model = "qwen-coder"`,
          `model_provider = "mlx-manager"`,
          ``,
          `[model_providers.mlx-manager]`,
          `name = "MLX Manager"`,
          `base_url = "${gw.url}/v1"`,
          `env_key = "MLX_MANAGER_KEY"`,
          `wire_api = "responses"`,
        ].join("\n"),
      );
      return { CODEX_HOME: home, MLX_MANAGER_KEY: key };
    },
  );
  assert.equal(run.code, 0, `codex failed: ${run.stderr}\n${run.stdout}`);
  assert.match(run.stdout, new RegExp(`The command printed:[\\s\\S]*${OUTPUT}`), run.stdout);

  const sent = await rec.bodies();
  assert.equal(sent.length, 2, "one call, one answer: no retry of the whole prompt");
  const messages = sent[1].messages as { role: string; content: unknown }[];
  assert.equal(messages[0].role, "system", "Codex's developer items are one leading system message");
  assert.equal(messages.filter((m) => m.role === "system").length, 1);
  assert.match(String(messages.find((m) => m.role === "tool")!.content), new RegExp(OUTPUT));
  const rows = await waitFor(() => {
    const data = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 20 }).data;
    return data.length >= 2 && data;
  }, "the turns' activity rows");
  assert.ok(rows.every((r) => r.endpoint === "/v1/responses" && r.outcome === "ok"), JSON.stringify(rows));
  const stored = gw.rt.db.prepare("SELECT COUNT(*) AS n FROM responses").get() as { n: number };
  assert.equal(stored.n, 0, "Codex sends store: false, and nothing is kept");
});
