import { useEffect, useRef } from "preact/hooks";
import type { Attachment } from "../../lib/chat/types.ts";
import { acceptedFiles, MAX_ATTACHMENTS } from "../../lib/chat/client.ts";

/** Props of {@link Composer}. */
export interface ComposerProps {
  text: string;
  attachments: Attachment[];
  multimodal: boolean;
  /** An answer is streaming: Send becomes Stop. */
  busy: boolean;
  /** No running server is selected. */
  disabled: boolean;
  onText: (text: string) => void;
  onFiles: (files: File[]) => void;
  onRemoveAttachment: (index: number) => void;
  onSend: () => void;
  onStop: () => void;
}

/** The message box: Enter sends, Shift+Enter adds a line; files attach with the clip or by dropping. */
export function Composer(props: ComposerProps) {
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  // Grow with the text up to a limit (set from script: the CSP forbids inline style attributes).
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`;
  }, [props.text]);
  const canSend = !props.disabled && !props.busy && props.text.trim() !== "";
  return (
    <div class="border-t border-slate-200 pt-3 dark:border-slate-800">
      {props.attachments.length > 0 && (
        <ul class="mb-2 flex flex-wrap gap-2" data-testid="attachments">
          {props.attachments.map((a, i) => (
            <li
              key={`${a.name}-${i}`}
              class="flex items-center gap-2 rounded-md border border-slate-200 bg-white py-1 pl-1 pr-2 text-xs dark:border-slate-700 dark:bg-slate-900"
            >
              {a.kind === "image"
                ? <img src={a.data} alt="" class="h-8 w-8 rounded object-cover" />
                : <span class="mono rounded bg-slate-100 px-1 py-2 dark:bg-slate-800">TXT</span>}
              <span class="max-w-40 truncate" title={a.name}>{a.name}</span>
              <button
                type="button"
                class="text-rose-600 hover:text-rose-500"
                aria-label={`Remove ${a.name}`}
                onClick={() => props.onRemoveAttachment(i)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (canSend) props.onSend();
        }}
      >
        <input
          ref={picker}
          type="file"
          class="hidden"
          multiple
          accept={acceptedFiles(props.multimodal)}
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = "";
            if (files.length) props.onFiles(files);
          }}
          data-testid="file-input"
        />
        <button
          type="button"
          class="btn btn-secondary h-10 px-2"
          title={props.multimodal ? "Attach images or text files" : "Attach text files"}
          aria-label="Attach files"
          disabled={props.busy || props.attachments.length >= MAX_ATTACHMENTS}
          onClick={() => picker.current?.click()}
        >
          <svg viewBox="0 0 20 20" width="18" height="18" fill="currentColor" aria-hidden="true">
            <path d="M13.5 3a3.5 3.5 0 0 0-2.5 1l-6 6a5 5 0 0 0 7 7l5-5-1.4-1.4-5 5a3 3 0 0 1-4.2-4.2l6-6a1.5 1.5 0 0 1 2.1 2.1l-5.6 5.6-1.4-1.4 4.9-4.9-1.4-1.4-4.9 4.9a2 2 0 0 0 2.8 2.8l5.6-5.6A3.5 3.5 0 0 0 13.5 3z" />
          </svg>
        </button>
        <textarea
          ref={area}
          class="input min-h-10 flex-1 resize-none"
          rows={1}
          placeholder={props.disabled ? "Pick a running server to chat" : "Type a message…"}
          title="Enter sends, Shift+Enter adds a line"
          aria-label="Message"
          value={props.text}
          disabled={props.disabled}
          onInput={(e) => props.onText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              if (canSend) props.onSend();
            }
          }}
          data-testid="chat-input"
        />
        {props.busy
          ? (
            <button type="button" class="btn btn-danger h-10" onClick={props.onStop} data-testid="stop">
              Stop
            </button>
          )
          : (
            <button type="submit" class="btn btn-primary h-10" disabled={!canSend} data-testid="send">
              Send
            </button>
          )}
      </form>
    </div>
  );
}
