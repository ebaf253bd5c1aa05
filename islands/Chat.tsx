import { useSignal } from "@preact/signals";
import type { ChatTargetInfo, Conversation, ConversationSummary } from "../lib/chat/types.ts";
import { toolResults } from "../lib/chat/turn.ts";
import { useChat } from "../lib/chat/use_chat.ts";
import { useConversations } from "../lib/chat/use_conversations.ts";
import { useFollowScroll } from "../lib/chat/use_follow_scroll.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { toast } from "../lib/client/toast.ts";
import { Alert } from "../components/ui/Field.tsx";
import { MessageView } from "../components/chat/MessageView.tsx";
import { HistorySidebar } from "../components/chat/HistorySidebar.tsx";
import { Composer } from "../components/chat/Composer.tsx";
import { SettingsPanel } from "../components/chat/SettingsPanel.tsx";
import { ServerPicker } from "../components/chat/ServerPicker.tsx";
import { EmptyTranscript } from "../components/chat/EmptyTranscript.tsx";
import { DeleteDialog, RenameDialog } from "../components/chat/ConversationDialogs.tsx";
import { useMcpTools } from "../components/chat/McpTools.tsx";
import type { McpServerView } from "../lib/mcp_types.ts";

/** Props of {@link Chat}. */
export interface ChatProps {
  targets: ChatTargetInfo[];
  /** The built-in tools, in OpenAI's format. */
  tools: Record<string, unknown>[];
  /** The registered MCP servers. */
  mcpServers: McpServerView[];
  conversations: ConversationSummary[];
  /** The conversation opened by `?c=`, if any. */
  conversation: Conversation | null;
  /** The profile asked for by `?profile=`. */
  profileId: number | null;
  /** Shown above the chat (e.g. a conversation that could not be opened). */
  notice: string | null;
}

async function copy(value: string) {
  try {
    await navigator.clipboard.writeText(value);
    toast("Copied to the clipboard", "success");
  } catch {
    toast("Cannot copy: the browser did not allow it", "error");
  }
}

/** The Chat page: server picker, transcript, composer, settings and saved conversations. */
export default function Chat(props: ChatProps) {
  const hydrated = useHydrated();
  const saved = useConversations(props.conversations);
  const chat = useChat(props, {
    tools: props.tools,
    mcpServers: () => mcp.selected(),
    onEvent: (event) => mcp.handle(event),
    follow: () => scroll.follow(),
    rewound: () => scroll.rewind(),
    saved: () => void saved.refresh(),
  });
  const { messages, settings, busy, banner, showSettings, targets, conversationId } = chat.state.value;
  const mcp = useMcpTools(props.mcpServers, conversationId);
  const scroll = useFollowScroll(messages);
  const historyOpen = useSignal(false);
  const renaming = useSignal<ConversationSummary | null>(null);
  const deleting = useSignal<ConversationSummary | null>(null);
  const dragging = useSignal(false);

  const target = chat.target.value;
  const results = toolResults(messages);
  const lastAnswer = messages.findLastIndex((m) => m.role === "assistant");
  const running = target?.state === "running";
  const toggleSettings = (open?: boolean) => chat.dispatch({ type: "settings_toggled", open });
  // An answer whose tool calls were not run offers to switch tools on for the next try.
  const tools = {
    toolsOn: settings.tools,
    hasMcp: mcp.count > 0,
    onEnableTools: () => {
      chat.dispatch({ type: "settings_changed", settings: { ...settings, tools: true } });
      toggleSettings(true);
    },
    onPickMcp: mcp.focusPicker,
  };

  return (
    <div
      class="flex h-[calc(100dvh-7.5rem)] min-h-96 gap-4"
      data-hydrated={hydrated ? "" : undefined}
      data-testid="chat"
    >
      <HistorySidebar
        conversations={saved.list.value}
        activeId={conversationId}
        query={saved.query.value}
        open={historyOpen.value}
        onQuery={saved.search}
        onOpen={async (id) => {
          if (await chat.open(id)) historyOpen.value = false;
        }}
        onNew={() => {
          chat.reset();
          historyOpen.value = false;
        }}
        onRename={(c) => renaming.value = c}
        onDelete={(c) => deleting.value = c}
        onClose={() => historyOpen.value = false}
      />
      <section
        class={`flex min-w-0 flex-1 flex-col ${dragging.value ? "rounded-lg ring-2 ring-indigo-400" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          dragging.value = true;
        }}
        onDragLeave={() => dragging.value = false}
        onDrop={(e) => {
          e.preventDefault();
          dragging.value = false;
          void chat.attach([...(e.dataTransfer?.files ?? [])]);
        }}
      >
        <ServerPicker
          targets={targets}
          profileId={chat.state.value.profileId}
          running={running}
          onSelect={(profileId) => chat.dispatch({ type: "profile_selected", profileId })}
          onStart={chat.startServer}
          onToggleSettings={() => toggleSettings()}
          onToggleHistory={() => historyOpen.value = !historyOpen.value}
        />
        {showSettings && (
          <SettingsPanel
            settings={settings}
            onChange={(s) => chat.dispatch({ type: "settings_changed", settings: s })}
            toolCount={props.tools.length}
          />
        )}
        {mcp.picker}
        {banner && (
          <div class="mb-3">
            <Alert kind="error">{banner}</Alert>
          </div>
        )}
        <div
          ref={scroll.ref}
          class="flex-1 space-y-4 overflow-y-auto pb-4 pr-1"
          onScroll={scroll.onScroll}
          data-testid="transcript"
          aria-live="polite"
        >
          {messages.length > 0 && settings.systemPrompt && (
            <p class="mx-auto max-w-2xl text-center text-xs italic muted" data-testid="pinned-system">
              System prompt: {settings.systemPrompt}
            </p>
          )}
          {messages.length === 0 && (
            <EmptyTranscript
              hasTargets={targets.length > 0}
              target={target}
              systemPrompt={settings.systemPrompt}
              onEditSettings={() => toggleSettings(true)}
            />
          )}
          {messages.map((m, i) => (
            <MessageView
              key={m.key}
              message={m}
              toolResults={results}
              onCopy={copy}
              onRegenerate={i === lastAnswer && !busy && target ? chat.regenerate : undefined}
              tools={tools}
            />
          ))}
        </div>
        {!scroll.following.value && busy && (
          <button
            type="button"
            class="btn btn-secondary mx-auto -mt-12 mb-2 shadow"
            onClick={scroll.jump}
            data-testid="jump-latest"
          >
            Jump to the latest
          </button>
        )}
        <Composer
          text={chat.text.value}
          attachments={chat.attachments.value}
          multimodal={target?.model_type === "multimodal"}
          busy={busy}
          disabled={!hydrated || !target}
          onText={(v) => chat.text.value = v}
          onFiles={(files) => void chat.attach(files)}
          onRemoveAttachment={(i) =>
            chat.attachments.value = chat.attachments.value.filter((_, j) => j !== i)}
          onSend={chat.send}
          onStop={chat.stop}
        />
      </section>
      <RenameDialog
        conversation={renaming.value}
        onRename={(c, title) => void saved.rename(c, title, () => renaming.value = null)}
        onClose={() => renaming.value = null}
      />
      {mcp.dialog}
      <DeleteDialog
        conversation={deleting.value}
        onDelete={(c) =>
          void saved.remove(c, () => {
            deleting.value = null;
            if (c.id === chat.state.value.conversationId) chat.reset();
          })}
        onClose={() => deleting.value = null}
      />
    </div>
  );
}
