/**
 * What the transcript shows before the first message: how to get a server,
 * or which server and prompt the conversation will start with.
 *
 * @module
 */
import type { ChatTargetInfo } from "../../lib/chat/types.ts";

/** Props of {@link EmptyTranscript}. */
export interface EmptyTranscriptProps {
  /** Whether any profile can be chatted with. */
  hasTargets: boolean;
  /** The picked server. */
  target: ChatTargetInfo | null;
  systemPrompt: string;
  onEditSettings: () => void;
}

/** The empty transcript's guidance. */
export function EmptyTranscript({ hasTargets, target, systemPrompt, onEditSettings }: EmptyTranscriptProps) {
  return (
    <div class="muted flex h-full flex-col items-center justify-center text-center text-sm">
      {!hasTargets
        ? (
          <p>
            No profile of a chat model yet. <a class="md-link" href="/models">Run a model</a> or{" "}
            <a class="md-link" href="/profiles">create a profile</a> of type lm or multimodal, then chat here.
          </p>
        )
        : target
        ? (
          <>
            <p class="text-base font-medium text-slate-700 dark:text-slate-200">
              Start a conversation with {target.name}
            </p>
            <p class="mono mt-1">{target.model}</p>
            {target.state !== "running" && (
              <p class="mt-2">
                {target.state === "starting"
                  ? "The server is loading its model: a message sent now is answered once it is ready."
                  : "This server is not running: your first message starts it (or start it above)."}
              </p>
            )}
            <p class="mt-4 max-w-md italic">
              {systemPrompt ? `System prompt: ${systemPrompt}` : "No system prompt"}
            </p>
            <button type="button" class="btn btn-ghost mt-1 text-xs" onClick={onEditSettings}>
              Edit the system prompt and sampling settings
            </button>
          </>
        )
        : <p>Pick a server to start chatting.</p>}
    </div>
  );
}
