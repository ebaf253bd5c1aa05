import { SnippetTabs } from "../components/gateway/SnippetTabs.tsx";
import { agentSnippets } from "../lib/agent_snippets.ts";
import { useHydrated } from "../lib/client/hooks.ts";

/** Props of {@link AgentSetups}. */
export interface AgentSetupsProps {
  /** e.g. `http://127.0.0.1:8080/v1` */
  baseUrl: string;
  /** A model name for the setups. */
  model: string;
}

/** The Keys page's setups for coding agents (Claude Code, Codex, OpenCode), with a key placeholder. */
export default function AgentSetups({ baseUrl, model }: AgentSetupsProps) {
  const hydrated = useHydrated();
  return (
    <section class="card mt-4 space-y-3" data-hydrated={hydrated ? "" : undefined} data-testid="agent-setups">
      <div>
        <h2 class="font-semibold">Use with coding agents</h2>
        <p class="muted text-sm">
          Claude Code speaks Anthropic Messages, Codex the Responses API, OpenCode chat completions: each
          works on this endpoint. Put one of your keys in place of <code class="mono">YOUR_API_KEY</code>.
        </p>
      </div>
      <SnippetTabs snippets={agentSnippets(baseUrl, "YOUR_API_KEY", model)} />
    </section>
  );
}
