/**
 * Why a connection failed, in a few words a person can read: the innermost
 * reason of a runtime or `fetch` error without its decorations.
 *
 * @module
 */

/**
 * The reason of a failed connection: the innermost cause's message after its
 * last `": "`, without the `(os error N)` suffix, at most 200 characters.
 *
 * @example
 * ```ts
 * connectionReason(new TypeError("error sending request", {
 *   cause: new Error("tcp connect error: Connection refused (os error 111)"),
 * })); // "Connection refused"
 * ```
 */
export function connectionReason(error: unknown): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return "no answer in time";
  const inner = (error as { cause?: unknown })?.cause ?? error;
  const text = inner instanceof Error ? inner.message : String(inner);
  return text.split(": ").at(-1)!.replace(/\s*\(os error \d+\)$/, "").slice(0, 200);
}
