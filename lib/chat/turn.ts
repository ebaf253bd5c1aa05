/**
 * Applies chat events to the Chat page's transcript: text and reasoning go
 * to the answer being written, tool results become tool messages, and the
 * next round of a tool loop opens a new answer — the same messages, in the
 * same order, that the server saves. Browser-safe and pure.
 *
 * @module
 */
import type { ChatEvent } from "./types.ts";
import { type UiMessage, uiMessage } from "./client.ts";

/** A turn in progress. */
export interface Turn {
  /** The whole transcript; answers are appended to it. */
  messages: UiMessage[];
  /** The answer being written. */
  current: UiMessage;
  /** A tool result arrived: the next output belongs to a new answer. */
  newRound: boolean;
  /** Set by a `conversation` event. */
  conversation: { id: number; title: string } | null;
  /** The model, for answers opened in later rounds. */
  model: string | null;
}

/**
 * Starts a turn: appends an empty, streaming answer.
 *
 * @example
 * ```ts
 * const turn = startTurn(messages, "mlx-community/Qwen3-8B-4bit");
 * applyEvent(turn, { type: "response", content: "Hi" });
 * ```
 */
export function startTurn(messages: UiMessage[], model: string | null): Turn {
  const current = uiMessage("assistant", { streaming: true, model });
  messages.push(current);
  return { messages, current, newRound: false, conversation: null, model };
}

function answer(turn: Turn): UiMessage {
  if (turn.newRound) {
    turn.newRound = false;
    turn.current = uiMessage("assistant", { streaming: true, model: turn.model });
    turn.messages.push(turn.current);
  }
  return turn.current;
}

/** Applies one event to the turn. */
export function applyEvent(turn: Turn, event: ChatEvent): void {
  switch (event.type) {
    case "conversation":
      turn.conversation = { id: event.id, title: event.title };
      return;
    case "waiting":
      answer(turn).status = event.content;
      return;
    case "thinking":
      answer(turn).reasoning += event.content;
      return;
    case "thinking_done":
      answer(turn).reasoning_duration = event.duration;
      return;
    case "response":
      answer(turn).content += event.content;
      return;
    case "tool_call": {
      const current = answer(turn);
      const calls = current.tool_calls.filter((c) => c.index !== event.tool_call.index);
      current.tool_calls = [...calls, event.tool_call].sort((a, b) => a.index - b.index);
      return;
    }
    case "tool_calls_done":
      return;
    case "metrics": {
      const current = answer(turn);
      current.metrics = event.metrics;
      current.model = event.model;
      current.streaming = false;
      return;
    }
    case "tool_result":
      turn.current.streaming = false;
      turn.messages.push(uiMessage("tool", {
        content: event.content,
        tool_call_id: event.tool_call_id,
        name: event.name,
      }));
      turn.newRound = true;
      return;
    case "tool_calls_not_run":
      turn.current.not_run = { reason: event.reason, names: event.names };
      return;
    case "tool_limit":
      turn.current.error = `Stopped after ${event.rounds} tool round${
        event.rounds === 1 ? "" : "s"
      }: the model kept asking for tools`;
      return;
    case "error":
      answer(turn).error = event.content;
      turn.current.streaming = false;
      return;
    case "done":
      turn.current.streaming = false;
      return;
  }
}

/** Ends a turn that was stopped: the answer keeps what arrived and is marked stopped. */
export function stopTurn(turn: Turn): void {
  if (turn.newRound) return; // the next round had not started: nothing of it was saved either
  const current = turn.current;
  if (current.streaming) {
    current.streaming = false;
    current.metrics = {
      ttft_ms: null,
      tokens_per_second: null,
      prompt_tokens: null,
      completion_tokens: null,
      total_tokens: null,
      duration_ms: null,
      ...current.metrics,
      stopped: true,
    };
  }
}

/**
 * The transcript without the last answer and anything after the last user
 * message, for Regenerate.
 */
export function beforeLastAnswer(messages: UiMessage[]): UiMessage[] {
  let last = messages.length - 1;
  while (last >= 0 && messages[last].role !== "user") last--;
  return messages.slice(0, last + 1);
}

/** Tool results by call id, for the answers that asked for them. */
export function toolResults(messages: UiMessage[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of messages) if (m.role === "tool" && m.tool_call_id) out[m.tool_call_id] = m.content;
  return out;
}
