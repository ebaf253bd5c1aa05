import assert from "node:assert/strict";
import { agentSnippets } from "../../lib/agent_snippets.ts";

Deno.test("agentSnippets() sets up Claude Code on the origin, Codex on /v1 with wire_api responses, OpenCode on /v1", () => {
  const [claude, codex, opencode] = agentSnippets("http://mac.local:8080/v1", "mlxm_KEY", "qwen3");
  assert.deepEqual([claude.id, codex.id, opencode.id], ["claude-code", "codex", "opencode"]);
  assert.match(
    claude.text,
    /^export ANTHROPIC_BASE_URL=http:\/\/mac\.local:8080$/m,
    "the SDK appends /v1/messages",
  );
  assert.match(claude.text, /^export ANTHROPIC_AUTH_TOKEN=mlxm_KEY$/m);
  assert.match(claude.text, /^export ANTHROPIC_MODEL='qwen3'$/m);
  assert.match(claude.text, /^export ANTHROPIC_DEFAULT_HAIKU_MODEL='qwen3'$/m);
  assert.match(codex.text, /^base_url = "http:\/\/mac\.local:8080\/v1"$/m);
  assert.match(codex.text, /^wire_api = "responses"$/m);
  assert.match(codex.text, /^env_key = "MLX_MANAGER_API_KEY"$/m);
  assert.match(codex.text, /MLX_MANAGER_API_KEY=mlxm_KEY/);
  const config = JSON.parse(opencode.text.replace(/^\/\/.*\n/, ""));
  assert.deepEqual(config.provider["mlx-manager"].options, {
    baseURL: "http://mac.local:8080/v1",
    apiKey: "mlxm_KEY",
  });
  assert.equal(config.provider["mlx-manager"].npm, "@ai-sdk/openai-compatible");
  assert.equal(config.model, "mlx-manager/qwen3");
});

Deno.test("agentSnippets() quotes a model name with an apostrophe safely for the shell", async () => {
  const [claude] = agentSnippets("http://x/v1", "k", "it's");
  const line = claude.text.split("\n").find((l) => l.startsWith("export ANTHROPIC_MODEL="))!;
  const out = await new Deno.Command("sh", { args: ["-c", `${line}; printf %s "$ANTHROPIC_MODEL"`] })
    .output();
  assert.equal(new TextDecoder().decode(out.stdout), "it's");
});
