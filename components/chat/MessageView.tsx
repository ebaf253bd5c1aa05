import type { UiMessage } from "../../lib/chat/client.ts";
import { metricsLine } from "../../lib/chat/client.ts";
import { Markdown } from "../../lib/markdown/mod.ts";
import { ThinkingBubble, ToolCallBubble } from "./Bubbles.tsx";
import { ToolsNotRun, type ToolsNotRunProps } from "./ToolsNotRun.tsx";

/** Props of {@link MessageView}. */
export interface MessageViewProps {
  message: UiMessage;
  /** Results of tool calls by id, from the tool messages that follow. */
  toolResults: Record<string, string>;
  /** Offered on the last answer when nothing is streaming. */
  onRegenerate?: () => void;
  onCopy: (text: string) => void;
  /** How an answer whose tool calls were not run offers to run them. */
  tools: Omit<ToolsNotRunProps, "notRun">;
}

function UserMessage({ message }: { message: UiMessage }) {
  return (
    <div class="flex justify-end" data-testid="message" data-role="user">
      <div class="max-w-[85%] rounded-2xl rounded-br-sm bg-indigo-600 px-4 py-2 text-white">
        <p class="whitespace-pre-wrap break-words">{message.content}</p>
        {message.attachments.length > 0 && (
          <div class="mt-2 flex flex-wrap gap-2" data-testid="message-attachments">
            {message.attachments.map((a, i) =>
              a.kind === "image"
                ? <img key={i} src={a.data} alt={a.name} class="h-16 w-16 rounded object-cover" />
                : (
                  <span key={i} class="rounded bg-indigo-500 px-2 py-1 text-xs" title={a.name}>
                    📄 {a.name}
                  </span>
                )
            )}
          </div>
        )}
      </div>
    </div>
  );
}

/** One message of the transcript (tool results appear inside the answer that asked for them). */
export function MessageView({ message, toolResults, onRegenerate, onCopy, tools }: MessageViewProps) {
  if (message.role === "user") return <UserMessage message={message} />;
  if (message.role === "tool") return null;
  const thinkingActive = message.streaming && message.reasoning !== "" && message.reasoning_duration === null;
  const empty = !message.content && !message.reasoning && !message.tool_calls.length;
  return (
    <div class="flex justify-start" data-testid="message" data-role="assistant">
      <div class="w-full max-w-[92%] rounded-2xl rounded-bl-sm bg-white px-4 py-3 shadow-sm dark:bg-slate-900">
        {message.reasoning && (
          <ThinkingBubble
            text={message.reasoning}
            duration={message.reasoning_duration}
            active={thinkingActive}
          />
        )}
        {message.tool_calls.length > 0 && <ToolCallBubble calls={message.tool_calls} results={toolResults} />}
        {message.content && <Markdown text={message.content} class="break-words" />}
        {empty && message.streaming && (
          <p class="muted text-sm" data-testid="waiting">
            <span class="chat-spinner mr-2" aria-hidden="true" />
            {message.status ?? "Waiting for the model…"}
          </p>
        )}
        {empty && !message.streaming && !message.error && message.metrics?.stopped && (
          <p class="muted text-sm italic">Stopped before the answer began</p>
        )}
        {message.not_run && !message.streaming && <ToolsNotRun notRun={message.not_run} {...tools} />}
        {message.error && (
          <p
            role="alert"
            class="mt-2 rounded-md border border-rose-300 bg-rose-50 p-2 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950/50 dark:text-rose-200"
            data-testid="message-error"
          >
            {message.error}
          </p>
        )}
        {!message.streaming && (
          <div class="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs muted">
            {message.metrics && <span data-testid="metrics">{metricsLine(message.metrics)}</span>}
            {message.metrics?.stopped && <span class="badge badge-gray">stopped</span>}
            {message.model && (
              <span class="hidden truncate sm:inline" title={message.model}>{message.model}</span>
            )}
            <span class="ml-auto flex gap-1">
              {message.content && (
                <button
                  type="button"
                  class="btn btn-ghost px-2 py-0.5 text-xs"
                  onClick={() => onCopy(message.content)}
                >
                  Copy
                </button>
              )}
              {onRegenerate && (
                <button
                  type="button"
                  class="btn btn-ghost px-2 py-0.5 text-xs"
                  onClick={onRegenerate}
                  data-testid="regenerate"
                >
                  Regenerate
                </button>
              )}
            </span>
          </div>
        )}
      </div>
    </div>
  );
}
