import { useSignal } from "@preact/signals";

/** Props of {@link CopyText}. */
export interface CopyTextProps {
  label: string;
  text: string;
  /** Show the text as a block (for multi-line examples). */
  block?: boolean;
}

/** Text with a button that copies it (selecting it where the clipboard is not available). */
export function CopyText({ label, text, block = false }: CopyTextProps) {
  const copied = useSignal(false);
  async function copy(event: Event) {
    const target = (event.currentTarget as HTMLElement).parentElement?.querySelector("code");
    try {
      await navigator.clipboard.writeText(text);
      copied.value = true;
      setTimeout(() => copied.value = false, 2000);
    } catch {
      // No clipboard outside secure contexts: select the text for a manual copy.
      if (target) getSelection()?.selectAllChildren(target);
    }
  }
  return (
    <div class={`flex gap-2 ${block ? "flex-col" : "items-center"}`}>
      <span class="text-xs muted shrink-0">{label}</span>
      <code
        class={`mono min-w-0 rounded bg-slate-100 px-2 py-1 dark:bg-slate-800 ${
          block ? "block overflow-x-auto whitespace-pre" : "truncate"
        }`}
      >
        {text}
      </code>
      <button type="button" class="btn btn-ghost shrink-0 self-start px-2 py-0.5 text-xs" onClick={copy}>
        {copied.value ? "Copied" : "Copy"}
      </button>
    </div>
  );
}
