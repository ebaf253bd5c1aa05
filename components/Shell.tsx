import type { ComponentChildren } from "preact";
import { Navbar, type ShellUser } from "./Navbar.tsx";
import Toaster from "../islands/Toaster.tsx";
import type { Theme } from "../lib/theme.ts";
import type { MemoryReading } from "../islands/MemoryIndicator.tsx";

/** Props of {@link Shell}. */
export interface ShellProps {
  path: string;
  user: ShellUser | null;
  pendingUsers?: number;
  /** The colour theme the switch shows as chosen. @default "system" */
  theme?: Theme;
  /** The last memory reading, for the navbar's pill. */
  memory?: MemoryReading | null;
  children: ComponentChildren;
}

/** The app frame: navbar, main content and the toast area. */
export function Shell({ path, user, pendingUsers, theme, memory, children }: ShellProps) {
  return (
    <>
      <a
        href="#main"
        class="sr-only focus:not-sr-only focus:absolute focus:p-2"
      >
        Skip to content
      </a>
      <Navbar path={path} user={user} pendingUsers={pendingUsers} theme={theme} memory={memory} />
      <main id="main" class="mx-auto max-w-7xl px-4 py-6">{children}</main>
      <Toaster />
    </>
  );
}
