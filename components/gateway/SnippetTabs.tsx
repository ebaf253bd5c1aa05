import { useSignal } from "@preact/signals";
import { CopyText } from "../servers/CopyText.tsx";

/** Props of {@link SnippetTabs}. */
export interface SnippetTabsProps {
  snippets: readonly { id: string; label: string; text: string }[];
}

/** Copyable examples, one tab each (used inside islands). */
export function SnippetTabs({ snippets }: SnippetTabsProps) {
  const tab = useSignal(0);
  const current = snippets[Math.min(tab.value, snippets.length - 1)];
  return (
    <>
      <div class="flex flex-wrap gap-1" role="tablist">
        {snippets.map((s, i) => (
          <button
            key={s.id}
            type="button"
            role="tab"
            aria-selected={i === tab.value}
            class={`btn ${i === tab.value ? "btn-secondary" : "btn-ghost"} px-2 py-1 text-xs`}
            onClick={() => tab.value = i}
          >
            {s.label}
          </button>
        ))}
      </div>
      <div data-testid={`snippet-${current.id}`}>
        <CopyText label={current.label} text={current.text} block />
      </div>
    </>
  );
}
