/**
 * The Chat page's conversation as a hook: keeps {@link ChatState} in a
 * signal, streams answers, opens and clears conversations, keeps the server
 * list live, and holds the composer's text and attachments. Every change of
 * state goes through {@link reduceChat}.
 *
 * @module
 */
import { useComputed, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { Attachment, ChatEvent, ChatTargetInfo, Conversation } from "./types.ts";
import { MAX_ATTACHMENTS, readAttachment, streamChat, type UiMessage, uiMessage } from "./client.ts";
import { applyEvent, beforeLastAnswer, startTurn, type Turn } from "./turn.ts";
import {
  type ChatAction,
  chatRequest,
  type ChatStart,
  type ChatState,
  currentTarget,
  endTurn,
  initialChat,
  reduceChat,
} from "./controller.ts";
import { restoreSettings, storedSettings } from "./settings.ts";
import { api, errorMessage } from "../client/api.ts";
import { useEvent } from "../client/events.ts";
import { toast } from "../client/toast.ts";

const SETTINGS_KEY = "mlx-manager.chat.settings";

/** What the conversation hook is told by the page's other parts. */
export interface ChatLinks {
  /** The built-in tools, in OpenAI's format. */
  tools: Record<string, unknown>[];
  /** The MCP servers picked for the conversation. */
  mcpServers(): number[];
  /** Sees every event of the stream (MCP confirmations). */
  onEvent(event: ChatEvent): void;
  /** A new transcript is shown: follow it to its end again. */
  follow(): void;
  /** The transcript was emptied. */
  rewound(): void;
  /** A turn ended or a conversation changed: the saved list may have changed. */
  saved(): void;
}

/** Puts the open conversation in the address, so a reload opens it again. */
function setUrl(id: number | null): void {
  const url = new URL(location.href);
  url.searchParams.delete("profile");
  if (id === null) url.searchParams.delete("c");
  else url.searchParams.set("c", String(id));
  history.replaceState(null, "", url);
}

/** Keeps the settings (but the conversation's system prompt) between visits. */
function useStoredSettings(settings: ChatState["settings"], load: (saved: string | null) => void): void {
  useEffect(() => {
    let saved: string | null = null;
    try {
      saved = localStorage.getItem(SETTINGS_KEY);
    } catch { /* private mode: nothing was kept */ }
    load(saved);
  }, []);
  useEffect(() => {
    try {
      localStorage.setItem(SETTINGS_KEY, storedSettings(settings));
    } catch { /* private mode: settings last for this page only */ }
  }, [settings]);
}

/**
 * The conversation of the Chat page.
 *
 * @example
 * ```tsx
 * const chat = useChat(props, links);
 * <Composer text={chat.text.value} onSend={chat.send} onStop={chat.stop} … />
 * ```
 */
export function useChat(start: ChatStart, links: ChatLinks) {
  const state = useSignal(initialChat(start));
  const target = useComputed(() => currentTarget(state.value));
  const text = useSignal("");
  const attachments = useSignal<Attachment[]>([]);
  const abort = useRef<AbortController | null>(null);
  const frame = useRef(0);
  /** The turn whose answer the transcript shows. */
  const live = useRef<Turn | null>(null);
  const dispatch = (action: ChatAction) => state.value = reduceChat(state.value, action);

  useStoredSettings(state.value.settings, (saved) => {
    dispatch({
      type: "settings_changed",
      settings: restoreSettings(saved, state.value.settings.systemPrompt),
    });
  });

  async function refreshTargets() {
    try {
      dispatch({ type: "targets_loaded", targets: await api<ChatTargetInfo[]>("/api/chat/targets") });
    } catch { /* keep what we have */ }
  }
  useEvent("server.update", () => void refreshTargets());
  useEvent("profiles.changed", () => void refreshTargets());

  /** Re-renders the transcript of the live turn at most once per frame while an answer streams. */
  function touch(turn: Turn) {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (live.current === turn) dispatch({ type: "transcript", messages: [...turn.messages] });
    });
  }

  async function run(history: UiMessage[]) {
    const body = chatRequest(state.value, history, { tools: links.tools, mcpServers: links.mcpServers() });
    if (body === null) return;
    if (typeof body === "string") return void dispatch({ type: "rejected", problem: body });
    const turn = startTurn([...history], target.value!.model);
    live.current = turn;
    dispatch({ type: "turn_started", messages: [...turn.messages] });
    links.follow();
    const controller = new AbortController();
    abort.current = controller;
    try {
      await streamChat(body, (event) => {
        applyEvent(turn, event);
        links.onEvent(event);
        if (event.type === "conversation" && live.current === turn) {
          dispatch({ type: "conversation_saved", id: event.id });
          setUrl(event.id);
        }
        touch(turn);
      }, controller.signal);
      endTurn(turn);
    } catch (error) {
      endTurn(turn, error);
    } finally {
      if (abort.current === controller) abort.current = null;
      cancelAnimationFrame(frame.current);
      frame.current = 0;
      // Another conversation may have been opened meanwhile: then this turn is no longer shown.
      dispatch({ type: "turn_ended", messages: live.current === turn ? [...turn.messages] : null });
      links.saved();
    }
  }

  function stop() {
    abort.current?.abort();
  }

  /** Stops the answer and detaches it from the view (another conversation replaces it). */
  function leave() {
    stop();
    live.current = null;
  }

  /** Clears the transcript for a new conversation. */
  function reset() {
    leave();
    dispatch({ type: "cleared" });
    links.rewound();
    attachments.value = [];
    setUrl(null);
  }

  return {
    state,
    target,
    text,
    attachments,
    dispatch,
    stop,
    reset,
    send() {
      const content = text.value.trim();
      if (!content || state.value.busy) return;
      const message = uiMessage("user", { content, attachments: attachments.value });
      text.value = "";
      attachments.value = [];
      void run([...state.value.messages, message]);
    },
    regenerate() {
      if (state.value.busy) return;
      void run(beforeLastAnswer(state.value.messages));
    },
    /** Opens a saved conversation; false when it cannot be read. */
    async open(id: number): Promise<boolean> {
      leave();
      try {
        const conversation = await api<Conversation>(`/api/conversations/${id}`);
        dispatch({ type: "opened", conversation });
        links.follow();
        setUrl(conversation.id);
        return true;
      } catch (error) {
        toast(errorMessage(error), "error");
        return false;
      }
    },
    async startServer() {
      const t = target.value;
      if (!t) return;
      try {
        await api(`/api/chat/targets/${t.profile_id}/start`, { method: "POST" });
        toast(`Starting ${t.name}…`, "info");
        await refreshTargets();
      } catch (error) {
        toast(errorMessage(error), "error");
      }
    },
    async attach(files: File[]) {
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
    },
  };
}
