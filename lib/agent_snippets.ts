/**
 * The copyable setups of the coding agents: Claude Code (Anthropic Messages
 * on `/v1/messages`), Codex (`wire_api = "responses"` on `/v1/responses`)
 * and OpenCode (chat completions through `@ai-sdk/openai-compatible`), for
 * this manager's base URL, a key and a model. Pure and browser-safe.
 *
 * @module
 */
import type { Snippet } from "./gateway_snippets.ts";

/** One agent's setup. */
export interface AgentSnippet extends Omit<Snippet, "id"> {
  id: "claude-code" | "codex" | "opencode";
}

/**
 * The setups for a base URL (`http://host:port/v1`), a key and a model name.
 *
 * @example
 * ```ts
 * agentSnippets("http://127.0.0.1:8080/v1", "mlxm_…", "qwen3")[0].text; // "export ANTHROPIC_BASE_URL=http://127.0.0.1:8080 …"
 * ```
 */
export function agentSnippets(baseUrl: string, key: string, model: string): AgentSnippet[] {
  // Claude Code appends /v1/messages itself: it takes the origin.
  const origin = baseUrl.replace(/\/v1\/?$/, "");
  const m = JSON.stringify(model);
  const shell = `'${model.replaceAll("'", "'\\''")}'`;
  return [
    {
      id: "claude-code",
      label: "Claude Code",
      text: `export ANTHROPIC_BASE_URL=${origin}
export ANTHROPIC_AUTH_TOKEN=${key}
export ANTHROPIC_MODEL=${shell}
# the small, fast model Claude Code uses for quick tasks
export ANTHROPIC_DEFAULT_HAIKU_MODEL=${shell}
export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1
claude`,
    },
    {
      id: "codex",
      label: "Codex",
      text: `# ~/.codex/config.toml
model = ${m}
model_provider = "mlx-manager"

[model_providers.mlx-manager]
name = "MLX Manager"
base_url = "${baseUrl}"
env_key = "MLX_MANAGER_API_KEY"
wire_api = "responses"

# then, in the shell:
# export MLX_MANAGER_API_KEY=${key}
# codex`,
    },
    {
      id: "opencode",
      label: "OpenCode",
      text: `// opencode.json
${
        JSON.stringify(
          {
            $schema: "https://opencode.ai/config.json",
            provider: {
              "mlx-manager": {
                npm: "@ai-sdk/openai-compatible",
                name: "MLX Manager",
                options: { baseURL: baseUrl, apiKey: key },
                models: { [model]: { name: model } },
              },
            },
            model: `mlx-manager/${model}`,
          },
          null,
          2,
        )
      }`,
    },
  ];
}
