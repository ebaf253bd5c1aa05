/**
 * Validation of post-login redirect targets.
 *
 * @module
 */

/**
 * Returns `next` when it is a path on this site, otherwise `fallback`; stops
 * open redirects through `?next=https://elsewhere` or `//elsewhere`.
 *
 * @example
 * ```ts
 * safeNext("/models?q=qwen"); // "/models?q=qwen"
 * safeNext("//evil.example"); // "/servers"
 * ```
 */
export function safeNext(
  next: string | null | undefined,
  fallback = "/servers",
): string {
  if (
    !next || !next.startsWith("/") || next.startsWith("//") ||
    next.startsWith("/\\")
  ) return fallback;
  if (
    // deno-lint-ignore no-control-regex
    /[\u0000-\u001f]/.test(next) || next.startsWith("/login") ||
    next.startsWith("/register")
  ) return fallback;
  return next;
}
