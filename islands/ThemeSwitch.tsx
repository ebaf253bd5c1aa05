import { useSignal } from "@preact/signals";
import { type Theme, themeCookie, THEMES } from "../lib/theme.ts";

/** Props of {@link ThemeSwitch}. */
export interface ThemeSwitchProps {
  /** The theme the page was rendered with. */
  initial: Theme;
}

const LABELS: Record<Theme, { label: string; icon: string }> = {
  light: {
    label: "Light",
    icon: "M10 6a4 4 0 1 1 0 8 4 4 0 0 1 0-8ZM9 1h2v3H9zm0 15h2v3H9zM1 9h3v2H1zm15 0h3v2h-3z",
  },
  dark: { label: "Dark", icon: "M8 2a8 8 0 1 0 10 10A7 7 0 0 1 8 2Z" },
  system: { label: "System", icon: "M3 4h14v9H3zM7 15h6v2H7z" },
};

/** Light, dark or the system's theme; remembered in a cookie so the next page is painted right. */
export default function ThemeSwitch({ initial }: ThemeSwitchProps) {
  const theme = useSignal(initial);
  const choose = (next: Theme) => {
    theme.value = next;
    document.cookie = themeCookie(next);
    document.documentElement.dataset.theme = next;
  };
  return (
    <div class="theme-switch" role="group" aria-label="Theme" data-testid="theme-switch">
      {THEMES.map((t) => (
        <button
          key={t}
          type="button"
          class="theme-switch-option"
          aria-pressed={theme.value === t ? "true" : "false"}
          title={LABELS[t].label}
          data-theme-option={t}
          onClick={() => choose(t)}
        >
          <svg viewBox="0 0 20 20" width="14" height="14" fill="currentColor" aria-hidden="true">
            <path d={LABELS[t].icon} />
          </svg>
          <span class="sr-only">{LABELS[t].label}</span>
        </button>
      ))}
    </div>
  );
}
