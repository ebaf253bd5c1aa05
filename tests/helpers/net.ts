/**
 * Network and polling plumbing shared by tests and benchmarks: a free
 * loopback port and a poll-until-true helper.
 *
 * @module
 */

/** A loopback port nothing listened on a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** `T` without its falsy members. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | "">;

/**
 * Polls `check` every 25 ms until it returns a truthy value; fails with
 * `message` (and the last value seen) after `timeoutMs`.
 *
 * @example
 * ```ts
 * const status = await waitFor(() => rt.deps.supervisor.status(id).state === "running" && status, "running");
 * ```
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  message: string,
  timeoutMs = 15_000,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as Truthy<T>;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out: ${message} (last value: ${JSON.stringify(last)})`);
}
