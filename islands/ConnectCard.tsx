import { useSignal } from "@preact/signals";
import { CopyText } from "../components/servers/CopyText.tsx";
import { api, errorMessage } from "../lib/client/api.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { toast } from "../lib/client/toast.ts";
import { snippets } from "../lib/gateway_snippets.ts";
import { agentSnippets } from "../lib/agent_snippets.ts";
import { SnippetTabs } from "../components/gateway/SnippetTabs.tsx";

/** Props of {@link ConnectCard}. */
export interface ConnectCardProps {
  /** e.g. `http://127.0.0.1:8080/v1` */
  baseUrl: string;
  /** A model name for the examples. */
  model: string;
}

/** The dashboard's Connect card: the base URL, copyable examples, and a button that creates a key. */
export default function ConnectCard({ baseUrl, model }: ConnectCardProps) {
  const hydrated = useHydrated();
  const key = useSignal<string | null>(null);
  const busy = useSignal(false);

  async function createKey() {
    busy.value = true;
    try {
      const created = await api<{ key: string }>("/api/keys", {
        body: { name: `Connect ${new Date().toLocaleString()}` },
      });
      key.value = created.key;
    } catch (error) {
      toast(errorMessage(error), "error");
    }
    busy.value = false;
  }

  const shown = key.value ?? "YOUR_API_KEY";
  // Clients first, then the coding agents (Claude Code, Codex, OpenCode).
  const examples = [...snippets(baseUrl, shown, model), ...agentSnippets(baseUrl, shown, model)];
  return (
    <section class="card mb-4 space-y-3" data-hydrated={hydrated ? "" : undefined} data-testid="connect-card">
      <div class="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h2 class="font-semibold">Connect</h2>
          <p class="muted text-sm">
            One endpoint for every profile, for OpenAI clients and coding agents: the model field picks it.
          </p>
        </div>
        <div class="flex gap-2">
          <a class="btn btn-ghost" href="/keys">Keys</a>
          <button
            type="button"
            class="btn btn-primary"
            disabled={!hydrated || busy.value}
            onClick={createKey}
          >
            Create a key
          </button>
        </div>
      </div>
      <CopyText label="Base URL" text={baseUrl} />
      {key.value && (
        <div data-testid="connect-key">
          <CopyText label="Key (shown once)" text={key.value} />
        </div>
      )}
      <SnippetTabs snippets={examples} />
    </section>
  );
}
