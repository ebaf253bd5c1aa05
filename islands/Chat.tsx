import { useComputed, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { Attachment, ChatTargetInfo, Conversation, ConversationSummary } from "../lib/chat/types.ts";
import {
  fromStored,
  MAX_ATTACHMENTS,
  readAttachment,
  requestMessages,
  streamChat,
  type UiMessage,
  uiMessage,
} from "../lib/chat/client.ts";
import {
  applyEvent,
  beforeLastAnswer,
  startTurn,
  stopTurn,
  toolResults,
  type Turn,
} from "../lib/chat/turn.ts";
import { api, errorMessage } from "../lib/client/api.ts";
import { useEvent } from "../lib/client/events.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { toast } from "../lib/client/toast.ts";
import { Alert } from "../components/ui/Field.tsx";
import { ConfirmDialog, Dialog } from "../components/ui/Dialog.tsx";
import { MessageView } from "../components/chat/MessageView.tsx";
import { HistorySidebar } from "../components/chat/HistorySidebar.tsx";
import { Composer } from "../components/chat/Composer.tsx";
import { type ChatSettings, samplingFields, SettingsPanel } from "../components/chat/SettingsPanel.tsx";
import { ServerPicker } from "../components/chat/ServerPicker.tsx";
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

const SETTINGS_KEY = "mlx-manager.chat.settings";

function loadSettings(systemPrompt: string): ChatSettings {
  const base = { systemPrompt, temperature: "", topP: "", maxTokens: "", seed: "", stop: "", tools: false };
  try {
    const saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "{}");
    return { ...base, ...saved, systemPrompt };
  } catch {
    return base;
  }
}

function pickProfile(targets: ChatTargetInfo[], wanted: number | null): number | null {
  if (wanted !== null && targets.some((t) => t.profile_id === wanted)) return wanted;
  return targets.find((t) => t.state === "running")?.profile_id ?? targets[0]?.profile_id ?? null;
}

/** The Chat page: server picker, transcript, composer, settings and saved conversations. */
export default function Chat(props: ChatProps) {
  const hydrated = useHydrated();
  const targets = useSignal(props.targets);
  const profileId = useSignal(pickProfile(props.targets, props.conversation?.profile_id ?? props.profileId));
  const target = useComputed(() => targets.value.find((t) => t.profile_id === profileId.value) ?? null);
  const settings = useSignal<ChatSettings>({
    systemPrompt: props.conversation?.system_prompt ?? target.value?.system_prompt ?? "",
    temperature: "",
    topP: "",
    maxTokens: "",
    seed: "",
    stop: "",
    tools: false,
  });
  const showSettings = useSignal(false);
  const conversations = useSignal(props.conversations);
  const query = useSignal("");
  const conversationId = useSignal<number | null>(props.conversation?.id ?? null);
  const mcp = useMcpTools(props.mcpServers, conversationId.value);
  const messages = useSignal<UiMessage[]>((props.conversation?.messages ?? []).map(fromStored));
  const text = useSignal("");
  const attachments = useSignal<Attachment[]>([]);
  const busy = useSignal(false);
  const banner = useSignal<string | null>(props.notice);
  const historyOpen = useSignal(false);
  const renaming = useSignal<ConversationSummary | null>(null);
  const newTitle = useSignal("");
  const deleting = useSignal<ConversationSummary | null>(null);
  const dragging = useSignal(false);
  const following = useSignal(true);
  /** Where the transcript was scrolled to when it last followed the answer. */
  const autoTop = useRef(0);
  const abort = useRef<AbortController | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const frame = useRef(0);
  /** The turn whose answer the transcript shows. */
  const live = useRef<Turn | null>(null);

  useEffect(() => {
    settings.value = loadSettings(settings.value.systemPrompt);
  }, []);
  useEffect(() => {
    const { systemPrompt: _s, ...rest } = settings.value;
    try {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(rest));
    } catch { /* private mode: settings last for this page only */ }
  }, [settings.value]);

  // Follow the answer as it grows, unless the reader scrolled up.
  useEffect(() => {
    const el = scroller.current;
    if (!el || !following.value) return;
    // The reader may have scrolled up since our last scroll, before the scroll event said so.
    if (el.scrollTop < autoTop.current - 4) {
      following.value = false;
      return;
    }
    el.scrollTop = el.scrollHeight;
    autoTop.current = el.scrollTop;
  }, [messages.value]);

  async function refreshTargets() {
    try {
      targets.value = await api<ChatTargetInfo[]>("/api/chat/targets");
    } catch { /* keep what we have */ }
  }
  useEvent("server.update", () => void refreshTargets());
  useEvent("profiles.changed", () => void refreshTargets());

  async function refreshList() {
    try {
      const q = query.value.trim();
      conversations.value = await api<ConversationSummary[]>(
        `/api/conversations${q ? `?q=${encodeURIComponent(q)}` : ""}`,
      );
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }
  const searchTimer = useRef<ReturnType<typeof setTimeout>>();
  function onQuery(q: string) {
    query.value = q;
    clearTimeout(searchTimer.current);
    searchTimer.current = setTimeout(refreshList, 250);
  }

  /** Re-renders the transcript of the live turn at most once per frame while an answer streams. */
  function touch(turn: Turn) {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (live.current === turn) messages.value = [...turn.messages];
    });
  }

  function setUrl(id: number | null) {
    const url = new URL(location.href);
    url.searchParams.delete("profile");
    if (id === null) url.searchParams.delete("c");
    else url.searchParams.set("c", String(id));
    history.replaceState(null, "", url);
  }

  async function run(history: UiMessage[]) {
    const t = target.value;
    if (!t) return;
    const sampling = samplingFields(settings.value);
    if (typeof sampling === "string") {
      banner.value = sampling;
      showSettings.value = true;
      return;
    }
    banner.value = null;
    const body: Record<string, unknown> = {
      profile_id: t.profile_id,
      messages: requestMessages(settings.value.systemPrompt, history),
      ...sampling,
      save: true,
    };
    if (conversationId.value !== null) body.conversation_id = conversationId.value;
    if (settings.value.tools) {
      body.tools = props.tools;
      body.run_tools = true;
    }
    const mcpServers = mcp.selected();
    if (mcpServers.length) {
      body.mcp_servers = mcpServers;
      body.run_tools = true;
    }
    const turn = startTurn([...history], t.model);
    live.current = turn;
    messages.value = [...turn.messages];
    following.value = true;
    autoTop.current = 0;
    busy.value = true;
    const controller = new AbortController();
    abort.current = controller;
    try {
      await streamChat(body, (event) => {
        applyEvent(turn, event);
        mcp.handle(event);
        if (event.type === "conversation" && live.current === turn) {
          conversationId.value = event.id;
          setUrl(event.id);
        }
        touch(turn);
      }, controller.signal);
      if (turn.current.streaming) {
        turn.current.streaming = false;
        turn.current.error ??= "The answer ended unexpectedly: the connection to MLX Manager was lost";
      }
    } catch (error) {
      if ((error as Error).name === "AbortError") stopTurn(turn);
      else {
        turn.current.streaming = false;
        turn.current.error = errorMessage(error);
      }
    } finally {
      if (abort.current === controller) abort.current = null;
      busy.value = false;
      cancelAnimationFrame(frame.current);
      frame.current = 0;
      // Another conversation may have been opened meanwhile: then this turn is no longer shown.
      if (live.current === turn) messages.value = [...turn.messages];
      void refreshList();
    }
  }

  function send() {
    const content = text.value.trim();
    if (!content || busy.value) return;
    const message = uiMessage("user", { content, attachments: attachments.value });
    text.value = "";
    attachments.value = [];
    void run([...messages.value, message]);
  }

  function stop() {
    abort.current?.abort();
  }

  /** Stops the answer and detaches it from the view (another conversation replaces it). */
  function leave() {
    stop();
    live.current = null;
  }

  function regenerate() {
    if (busy.value) return;
    void run(beforeLastAnswer(messages.value));
  }

  /** Clears the transcript for a new conversation. */
  function reset() {
    leave();
    conversationId.value = null;
    messages.value = [];
    autoTop.current = 0;
    attachments.value = [];
    banner.value = null;
    settings.value = { ...settings.value, systemPrompt: target.value?.system_prompt ?? "" };
    setUrl(null);
  }

  function newChat() {
    reset();
    historyOpen.value = false;
  }

  async function open(id: number) {
    leave();
    try {
      const c = await api<Conversation>(`/api/conversations/${id}`);
      conversationId.value = c.id;
      messages.value = c.messages.map(fromStored);
      settings.value = { ...settings.value, systemPrompt: c.system_prompt ?? "" };
      if (c.profile_id !== null && targets.value.some((t) => t.profile_id === c.profile_id)) {
        profileId.value = c.profile_id;
      }
      banner.value = null;
      historyOpen.value = false;
      following.value = true;
      autoTop.current = 0;
      setUrl(c.id);
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  function selectProfile(id: number) {
    profileId.value = id;
    if (messages.value.length === 0) {
      const t = targets.value.find((x) => x.profile_id === id);
      settings.value = { ...settings.value, systemPrompt: t?.system_prompt ?? "" };
    }
  }

  async function startProfile() {
    const t = target.value;
    if (!t) return;
    try {
      await api(`/api/chat/targets/${t.profile_id}/start`, { method: "POST" });
      toast(`Starting ${t.name}…`, "info");
      await refreshTargets();
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  async function addFiles(files: File[]) {
    const multimodal = target.value?.model_type === "multimodal";
    const room = MAX_ATTACHMENTS - attachments.value.length;
    if (files.length > room) toast(`Attach at most ${MAX_ATTACHMENTS} files per message`, "error");
    const added: Attachment[] = [];
    for (const file of files.slice(0, Math.max(0, room))) {
      const result = await readAttachment(file, multimodal);
      if (typeof result === "string") toast(result, "error");
      else added.push(result);
    }
    attachments.value = [...attachments.value, ...added];
  }

  async function copy(value: string) {
    try {
      await navigator.clipboard.writeText(value);
      toast("Copied to the clipboard", "success");
    } catch {
      toast("Cannot copy: the browser did not allow it", "error");
    }
  }

  async function rename(event: Event) {
    event.preventDefault();
    const c = renaming.value;
    if (!c) return;
    try {
      await api(`/api/conversations/${c.id}`, { method: "PATCH", body: { title: newTitle.value } });
      renaming.value = null;
      await refreshList();
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  async function remove() {
    const c = deleting.value;
    if (!c) return;
    try {
      await api(`/api/conversations/${c.id}`, { method: "DELETE" });
      deleting.value = null;
      if (c.id === conversationId.value) reset();
      await refreshList();
      toast("Conversation deleted", "success");
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  const list = messages.value;
  const results = toolResults(list);
  const lastAnswer = list.findLastIndex((m) => m.role === "assistant");
  const running = target.value?.state === "running";

  return (
    <div
      class="flex h-[calc(100dvh-7.5rem)] min-h-96 gap-4"
      data-hydrated={hydrated ? "" : undefined}
      data-testid="chat"
    >
      <HistorySidebar
        conversations={conversations.value}
        activeId={conversationId.value}
        query={query.value}
        open={historyOpen.value}
        onQuery={onQuery}
        onOpen={open}
        onNew={newChat}
        onRename={(c) => {
          newTitle.value = c.title;
          renaming.value = c;
        }}
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
          void addFiles([...(e.dataTransfer?.files ?? [])]);
        }}
      >
        <ServerPicker
          targets={targets.value}
          profileId={profileId.value}
          running={running}
          onSelect={selectProfile}
          onStart={startProfile}
          onToggleSettings={() => showSettings.value = !showSettings.value}
          onToggleHistory={() => historyOpen.value = !historyOpen.value}
        />
        {showSettings.value && (
          <SettingsPanel
            settings={settings.value}
            onChange={(s) => settings.value = s}
            toolCount={props.tools.length}
          />
        )}
        {mcp.picker}
        {banner.value && (
          <div class="mb-3">
            <Alert kind="error">{banner.value}</Alert>
          </div>
        )}
        <div
          ref={scroller}
          class="flex-1 space-y-4 overflow-y-auto pb-4 pr-1"
          onScroll={(e) => {
            const el = e.currentTarget;
            following.value = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
          }}
          data-testid="transcript"
          aria-live="polite"
        >
          {list.length > 0 && settings.value.systemPrompt && (
            <p class="mx-auto max-w-2xl text-center text-xs italic muted" data-testid="pinned-system">
              System prompt: {settings.value.systemPrompt}
            </p>
          )}
          {list.length === 0 && (
            <div class="muted flex h-full flex-col items-center justify-center text-center text-sm">
              {targets.value.length === 0
                ? (
                  <p>
                    No server profiles yet.{" "}
                    <a class="md-link" href="/profiles">Create a profile</a>, start it, then chat here.
                  </p>
                )
                : target.value
                ? (
                  <>
                    <p class="text-base font-medium text-slate-700 dark:text-slate-200">
                      Start a conversation with {target.value.name}
                    </p>
                    <p class="mono mt-1">{target.value.model}</p>
                    {!running && (
                      <p class="mt-2">
                        {target.value.state === "starting"
                          ? "The server is loading its model: you can send once it shows running."
                          : "This server is not running: start it above."}
                      </p>
                    )}
                    <p class="mt-4 max-w-md italic">
                      {settings.value.systemPrompt
                        ? `System prompt: ${settings.value.systemPrompt}`
                        : "No system prompt"}
                    </p>
                    <button
                      type="button"
                      class="btn btn-ghost mt-1 text-xs"
                      onClick={() => showSettings.value = true}
                    >
                      Edit the system prompt and sampling settings
                    </button>
                  </>
                )
                : <p>Pick a server to start chatting.</p>}
            </div>
          )}
          {list.map((m, i) => (
            <MessageView
              key={m.key}
              message={m}
              toolResults={results}
              onCopy={copy}
              onRegenerate={i === lastAnswer && !busy.value && running ? regenerate : undefined}
            />
          ))}
        </div>
        {!following.value && busy.value && (
          <button
            type="button"
            class="btn btn-secondary mx-auto -mt-12 mb-2 shadow"
            onClick={() => {
              following.value = true;
              autoTop.current = 0;
              scroller.current!.scrollTop = scroller.current!.scrollHeight;
            }}
            data-testid="jump-latest"
          >
            Jump to the latest
          </button>
        )}
        <Composer
          text={text.value}
          attachments={attachments.value}
          multimodal={target.value?.model_type === "multimodal"}
          busy={busy.value}
          disabled={!hydrated || !running}
          onText={(v) => text.value = v}
          onFiles={(files) => void addFiles(files)}
          onRemoveAttachment={(i) => attachments.value = attachments.value.filter((_, j) => j !== i)}
          onSend={send}
          onStop={stop}
        />
      </section>
      <Dialog
        open={renaming.value !== null}
        title="Rename conversation"
        onClose={() => renaming.value = null}
      >
        <form class="space-y-4" onSubmit={rename}>
          <input
            class="input"
            aria-label="Title"
            maxLength={200}
            value={newTitle.value}
            onInput={(e) => newTitle.value = e.currentTarget.value}
            data-testid="rename-input"
          />
          <div class="flex justify-end gap-2">
            <button type="button" class="btn btn-secondary" onClick={() => renaming.value = null}>
              Cancel
            </button>
            <button type="submit" class="btn btn-primary" data-testid="rename-save">Rename</button>
          </div>
        </form>
      </Dialog>
      {mcp.dialog}
      <ConfirmDialog
        open={deleting.value !== null}
        title="Delete conversation"
        message={`Delete "${deleting.value?.title ?? ""}"? This cannot be undone.`}
        confirmLabel="Delete"
        danger
        onConfirm={remove}
        onCancel={() => deleting.value = null}
      />
    </div>
  );
}
