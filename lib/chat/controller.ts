/**
 * The Chat page's state and every change to it, as a pure reducer: which
 * server is picked, which conversation is open, the transcript, the settings
 * and whether an answer is streaming. The island's hooks do the fetching and
 * feed the outcomes in as actions. Browser-safe and pure.
 *
 * @module
 */
import type { ChatTargetInfo, Conversation, ConversationSummary } from "./types.ts";
import { fromStoredList, requestMessages, type UiMessage } from "./client.ts";
import { stopTurn, type Turn } from "./turn.ts";
import { errorMessage } from "../client/api.ts";
import { blankSettings, type ChatSettings, samplingFields } from "./settings.ts";

/** What the Chat page shows. */
export interface ChatState {
  /** The servers the chat can talk to. */
  targets: ChatTargetInfo[];
  /** The picked server's profile. */
  profileId: number | null;
  /** The open conversation; null until the first answer of a new one is saved. */
  conversationId: number | null;
  messages: UiMessage[];
  settings: ChatSettings;
  /** An answer is streaming. */
  busy: boolean;
  /** A problem shown above the transcript. */
  banner: string | null;
  showSettings: boolean;
}

/** A change to {@link ChatState}. */
export type ChatAction =
  | { type: "targets_loaded"; targets: ChatTargetInfo[] }
  | { type: "profile_selected"; profileId: number }
  | { type: "settings_changed"; settings: ChatSettings }
  | { type: "settings_toggled"; open?: boolean }
  /** The request cannot be sent as set up: say why and show the settings. */
  | { type: "rejected"; problem: string }
  | { type: "turn_started"; messages: UiMessage[] }
  /** The live answer grew. */
  | { type: "transcript"; messages: UiMessage[] }
  /** The server saved a new conversation for the live turn. */
  | { type: "conversation_saved"; id: number }
  /** The stream ended; `messages` when the turn is still the one shown. */
  | { type: "turn_ended"; messages: UiMessage[] | null }
  | { type: "opened"; conversation: Conversation }
  /** A new, empty conversation. */
  | { type: "cleared" };

/** What the page starts from: the server-rendered props of the island. */
export interface ChatStart {
  targets: ChatTargetInfo[];
  conversation: Conversation | null;
  /** The profile asked for by `?profile=`. */
  profileId: number | null;
  notice: string | null;
  /** The user's saved conversations, newest first: the first one's server is the last one used. */
  conversations?: ConversationSummary[];
}

/** States whose server cannot answer until someone fixes it: never picked unasked. */
const FAILED = new Set(["failed", "crashed"]);

/**
 * The profile to pick: the one asked for if it is listed; else the last one
 * used; else a running one, a starting one, then any other. A failed server
 * is picked only when asked for by name. (The list holds only profiles whose
 * model type chats: the server leaves the others out.)
 *
 * @example
 * ```ts
 * pickProfile([{ profile_id: 1, state: "stopped", … }, { profile_id: 2, state: "running", … }], null); // 2
 * pickProfile([{ profile_id: 1, state: "stopped", … }, { profile_id: 2, state: "running", … }], null, 1); // 1
 * ```
 */
export function pickProfile(
  targets: ChatTargetInfo[],
  wanted: number | null,
  lastUsed: number | null = null,
): number | null {
  if (wanted !== null && targets.some((t) => t.profile_id === wanted)) return wanted;
  const usable = targets.filter((t) => !FAILED.has(t.state));
  if (lastUsed !== null && usable.some((t) => t.profile_id === lastUsed)) return lastUsed;
  return (usable.find((t) => t.state === "running") ?? usable.find((t) => t.state === "starting") ??
    usable[0])?.profile_id ?? null;
}

/**
 * The server of the most recent conversation that has one.
 *
 * @example
 * ```ts
 * lastUsedProfile([{ profile_id: null, … }, { profile_id: 3, … }]); // 3
 * ```
 */
export function lastUsedProfile(conversations: readonly ConversationSummary[] = []): number | null {
  return conversations.find((c) => c.profile_id !== null)?.profile_id ?? null;
}

function targetOf(targets: ChatTargetInfo[], profileId: number | null): ChatTargetInfo | null {
  return targets.find((t) => t.profile_id === profileId) ?? null;
}

/**
 * The state the page opens with.
 *
 * @example
 * ```ts
 * const state = initialChat({ targets, conversation: null, profileId: null, notice: null });
 * ```
 */
export function initialChat(start: ChatStart): ChatState {
  const { targets, conversation } = start;
  const profileId = pickProfile(
    targets,
    conversation?.profile_id ?? start.profileId,
    lastUsedProfile(start.conversations),
  );
  const systemPrompt = conversation?.system_prompt ?? targetOf(targets, profileId)?.system_prompt ?? "";
  return {
    targets,
    profileId,
    conversationId: conversation?.id ?? null,
    messages: fromStoredList(conversation?.messages ?? []),
    settings: blankSettings(systemPrompt),
    busy: false,
    banner: start.notice,
    showSettings: false,
  };
}

/**
 * The picked server, if it is still listed.
 *
 * @example
 * ```ts
 * currentTarget(state)?.state === "running";
 * ```
 */
export function currentTarget(state: ChatState): ChatTargetInfo | null {
  return targetOf(state.targets, state.profileId);
}

function withPrompt(state: ChatState, systemPrompt: string): ChatSettings {
  return { ...state.settings, systemPrompt };
}

/**
 * The state after `action`.
 *
 * @example
 * ```ts
 * let state = initialChat(start);
 * state = reduceChat(state, { type: "profile_selected", profileId: 2 });
 * ```
 */
export function reduceChat(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "targets_loaded": {
      const next = { ...state, targets: action.targets };
      // The picked server is still listed, or a conversation is under way: keep it.
      if (currentTarget(next) || state.messages.length > 0) return next;
      const picked = { ...next, profileId: pickProfile(action.targets, null) };
      return { ...picked, settings: withPrompt(state, currentTarget(picked)?.system_prompt ?? "") };
    }
    case "profile_selected": {
      const next = { ...state, profileId: action.profileId };
      // An empty conversation takes the new server's prompt; a begun one keeps its own.
      if (state.messages.length > 0) return next;
      return { ...next, settings: withPrompt(state, currentTarget(next)?.system_prompt ?? "") };
    }
    case "settings_changed":
      return { ...state, settings: action.settings };
    case "settings_toggled":
      return { ...state, showSettings: action.open ?? !state.showSettings };
    case "rejected":
      return { ...state, banner: action.problem, showSettings: true };
    case "turn_started":
      return { ...state, messages: action.messages, busy: true, banner: null };
    case "transcript":
      return { ...state, messages: action.messages };
    case "conversation_saved":
      return { ...state, conversationId: action.id };
    case "turn_ended":
      return { ...state, busy: false, messages: action.messages ?? state.messages };
    case "opened": {
      const c = action.conversation;
      const listed = c.profile_id !== null && state.targets.some((t) => t.profile_id === c.profile_id);
      return {
        ...state,
        profileId: listed ? c.profile_id : state.profileId,
        conversationId: c.id,
        messages: fromStoredList(c.messages),
        settings: withPrompt(state, c.system_prompt ?? ""),
        banner: null,
      };
    }
    case "cleared":
      return {
        ...state,
        conversationId: null,
        messages: [],
        banner: null,
        settings: withPrompt(state, currentTarget(state)?.system_prompt ?? ""),
      };
  }
}

/** What a request adds besides the transcript and the settings. */
export interface RequestExtras {
  /** The built-in tools, sent when the settings switch them on. */
  tools: Record<string, unknown>[];
  /** The MCP servers picked for the conversation. */
  mcpServers: number[];
}

/**
 * The body of `POST /api/chat/completions` answering `history`, or the
 * settings' problem as text (nothing is sent then). Null without a server.
 *
 * @example
 * ```ts
 * const request = chatRequest(state, [...state.messages, question], { tools: [], mcpServers: [] });
 * if (typeof request === "string") dispatch({ type: "rejected", problem: request });
 * ```
 */
export function chatRequest(
  state: ChatState,
  history: UiMessage[],
  extras: RequestExtras,
): Record<string, unknown> | string | null {
  const target = currentTarget(state);
  if (!target) return null;
  const sampling = samplingFields(state.settings);
  if (typeof sampling === "string") return sampling;
  const body: Record<string, unknown> = {
    profile_id: target.profile_id,
    messages: requestMessages(state.settings.systemPrompt, history),
    ...sampling,
    save: true,
  };
  if (state.conversationId !== null) body.conversation_id = state.conversationId;
  if (state.settings.tools) {
    body.tools = extras.tools;
    body.run_tools = true;
  }
  if (extras.mcpServers.length) {
    body.mcp_servers = extras.mcpServers;
    body.run_tools = true;
  }
  return body;
}

/**
 * Closes a turn whose stream ended: with `error` when it failed (an abort
 * marks the answer stopped), else as lost when the stream ended before the
 * answer did.
 *
 * @example
 * ```ts
 * try { await streamChat(body, onEvent, signal); endTurn(turn); } catch (e) { endTurn(turn, e); }
 * ```
 */
export function endTurn(turn: Turn, error?: unknown): void {
  if (error === undefined) {
    if (turn.current.streaming) {
      turn.current.streaming = false;
      turn.current.error ??= "The answer ended unexpectedly: the connection to MLX Manager was lost";
    }
  } else if ((error as Error | null)?.name === "AbortError") stopTurn(turn);
  else {
    turn.current.streaming = false;
    turn.current.error = errorMessage(error);
  }
}
