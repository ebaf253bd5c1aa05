import type { ComponentChildren } from "preact";

/** Props of {@link FormSection}. */
export interface FormSectionProps {
  /** The section's key, for its test id (`advanced-toggle`). */
  name: string;
  title: string;
  /** Shown after the title in small print. */
  note?: string | null;
  open: boolean;
  onToggle: (open: boolean) => void;
  children: ComponentChildren;
}

/** A folding part of the profile form: a card whose fields show once it is opened. */
export function FormSection({ name, title, note, open, onToggle, children }: FormSectionProps) {
  return (
    <details
      class="card"
      open={open}
      onToggle={(e) => onToggle((e.currentTarget as HTMLDetailsElement).open)}
      data-testid={`section-${name}`}
    >
      <summary class="cursor-pointer font-medium" data-testid={`${name}-toggle`}>
        {title} {note ? <span class="muted text-sm">({note})</span> : null}
      </summary>
      <div class="mt-4 grid gap-4 sm:grid-cols-2">{children}</div>
    </details>
  );
}
