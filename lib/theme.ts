/**
 * The colour theme a browser asked for, kept in a cookie so the server can
 * put it on `<html>` and the first paint is already right — no script runs
 * before it. Browser-safe.
 *
 * @module
 */

/** The themes: a fixed one, or whatever the system prefers. */
export type Theme = "light" | "dark" | "system";

/** The themes in the order the switch offers them. */
export const THEMES: readonly Theme[] = ["light", "dark", "system"];

/** The cookie that remembers the theme. */
export const THEME_COOKIE = "mlx_theme";

/**
 * The theme a cookie value names; anything else is `"system"`.
 *
 * @example
 * ```ts
 * parseTheme("dark"); // "dark"
 * parseTheme(undefined); // "system"
 * ```
 */
export function parseTheme(value: string | null | undefined): Theme {
  return THEMES.includes(value as Theme) ? value as Theme : "system";
}

/**
 * The `Set-Cookie`/`document.cookie` text that remembers `theme` for a year.
 *
 * @example
 * ```ts
 * themeCookie("dark"); // "mlx_theme=dark; Path=/; Max-Age=31536000; SameSite=Lax"
 * ```
 */
export function themeCookie(theme: Theme): string {
  return `${THEME_COOKIE}=${theme}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
