import type { VNode } from "preact";
import PendingBadge from "../islands/PendingBadge.tsx";
import MemoryIndicator, { type MemoryReading } from "../islands/MemoryIndicator.tsx";
import ThemeSwitch from "../islands/ThemeSwitch.tsx";
import type { Theme } from "../lib/theme.ts";

/** The signed-in user as the shell shows it. */
export interface ShellUser {
  email: string;
  isAdmin: boolean;
}

/** Props of {@link Navbar}. */
export interface NavbarProps {
  /** The request path, to highlight the current section. */
  path: string;
  user: ShellUser | null;
  /** Pending registrations, shown to admins as a badge. */
  pendingUsers?: number;
  /** The colour theme the switch shows as chosen. @default "system" */
  theme?: Theme;
  /** The last memory reading, shown before the live ones arrive. */
  memory?: MemoryReading | null;
}

interface Item {
  href: string;
  label: string;
  admin?: boolean;
}

const ITEMS: Item[] = [
  { href: "/servers", label: "Servers" },
  { href: "/models", label: "Models" },
  { href: "/profiles", label: "Profiles" },
  { href: "/chat", label: "Chat" },
  { href: "/activity", label: "Activity" },
  { href: "/keys", label: "Keys" },
  { href: "/system", label: "System" },
  { href: "/upstreams", label: "Machines", admin: true },
  { href: "/users", label: "Users", admin: true },
];

function links(
  path: string,
  user: ShellUser,
  pending: number,
  mobile: boolean,
): VNode[] {
  return ITEMS.filter((item) => !item.admin || user.isAdmin).map((item) => {
    const active = path === item.href || path.startsWith(`${item.href}/`);
    return (
      <a
        key={item.href}
        href={item.href}
        class={`nav-link ${active ? "nav-link-active" : ""} ${mobile ? "block" : ""}`}
        aria-current={active ? "page" : undefined}
      >
        {item.label}
        {item.href === "/users" && <PendingBadge initial={pending} />}
      </a>
    );
  });
}

function SignOut({ email }: { email: string }) {
  return (
    <form method="post" action="/logout" class="flex min-w-0 items-center gap-2">
      {/* The address only where the bar has room to spare; the button always says whose session it ends. */}
      <span class="hidden max-w-48 truncate text-sm muted 2xl:inline" title={email}>
        {email}
      </span>
      <button type="submit" class="btn btn-ghost whitespace-nowrap" title={`Signed in as ${email}`}>
        Sign out
      </button>
    </form>
  );
}

/**
 * The top bar: brand, sections, memory in use and sign-out, on one line from
 * 1024 px (the memory pill from 1280 px, the address from 1536 px); a menu below.
 */
export function Navbar({ path, user, pendingUsers = 0, theme = "system", memory = null }: NavbarProps) {
  return (
    <header class="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur dark:border-slate-800 dark:bg-slate-900/90">
      <nav
        class="mx-auto flex h-14 max-w-7xl items-center gap-4 px-4"
        aria-label="Main"
      >
        <a href="/" class="flex shrink-0 items-center gap-2 whitespace-nowrap font-semibold">
          <img src="/static/favicon.svg" alt="" width="24" height="24" />
          <span>MLX Manager</span>
        </a>
        {user && (
          <div class="hidden min-w-0 flex-1 items-center gap-0.5 lg:flex">
            {links(path, user, pendingUsers, false)}
          </div>
        )}
        <div class="ml-auto flex shrink-0 items-center gap-3">
          {user && (
            <span class="hidden xl:contents">
              <MemoryIndicator initial={memory} />
            </span>
          )}
          <ThemeSwitch initial={theme} />
          {user && (
            <span class="hidden lg:contents">
              <SignOut email={user.email} />
            </span>
          )}
        </div>
        {user && (
          <details class="relative lg:hidden" data-testid="mobile-menu">
            <summary class="btn btn-ghost list-none" aria-label="Menu">
              <svg
                viewBox="0 0 20 20"
                width="20"
                height="20"
                fill="currentColor"
                aria-hidden="true"
              >
                <path d="M3 5h14v2H3zm0 4h14v2H3zm0 4h14v2H3z" />
              </svg>
            </summary>
            <div class="absolute right-0 mt-2 w-56 rounded-lg border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-900">
              {links(path, user, pendingUsers, true)}
              <div class="mt-2 border-t border-slate-200 pt-2 dark:border-slate-700">
                <SignOut email={user.email} />
              </div>
            </div>
          </details>
        )}
      </nav>
    </header>
  );
}
