import type { ComponentChildren } from "preact";
import { type IslandAssets, IslandScripts } from "../lib/islands/server.tsx";
import type { Theme } from "../lib/theme.ts";

/** Props of {@link Document}. */
export interface DocumentProps {
  /** The page title, before " · MLX Manager". */
  title: string;
  /** URL of the stylesheet. */
  css: string;
  /** URLs of the island bundles. */
  assets: IslandAssets;
  /** The colour theme, from the browser's cookie: set on `<html>` so the first paint has it. */
  theme?: Theme;
  /** Adds the live-reload script (development only). */
  devReload?: boolean;
  children: ComponentChildren;
}

/** The HTML document around every page; island scripts are its body's last child. */
export function Document(
  { title, css, assets, theme = "system", devReload, children }: DocumentProps,
) {
  return (
    <html lang="en" data-theme={theme}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content={theme === "system" ? "light dark" : theme} />
        <title>{title ? `${title} · MLX Manager` : "MLX Manager"}</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href={css} />
        {devReload && <script type="module" src="/_dev/reload.js" />}
      </head>
      <body class="min-h-screen">
        {children}
        <IslandScripts assets={assets} />
      </body>
    </html>
  );
}
