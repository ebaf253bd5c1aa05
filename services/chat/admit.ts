/**
 * How a chat turn gets into its server: the same lease a `/v1` request
 * takes, held for the whole turn. While the lease waits — the server is
 * starting, or every slot is taken — the turn says so with one `waiting`
 * event, so the page shows why nothing has arrived yet.
 *
 * @module
 */
import type { ChatEvent } from "../../lib/chat/types.ts";
import type { ChatTarget, ChatTargets, Lease } from "./targets.ts";

/** The `waiting` event of a turn whose server is not running yet. */
export function startingEvent(target: Pick<ChatTarget, "name" | "state">): ChatEvent {
  return {
    type: "waiting",
    reason: "starting",
    content: target.state === "starting"
      ? `${target.name} is loading its model…`
      : `Starting ${target.name}… (loading a model can take a while)`,
  };
}

/** Resolves true when `promise` settles before the next macrotask, false when it is still pending then. */
function settlesAtOnce(promise: Promise<unknown>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), 0));
  const settled = promise.then(() => true, () => true);
  return Promise.race([settled, later]).finally(() => clearTimeout(timer));
}

/**
 * Takes the turn's lease on `target`, sending a `waiting` event when it does
 * not come at once: before the wait when the server is not running, or once
 * the request is seen to queue behind others.
 *
 * @throws what {@link ChatTargets.acquire} throws
 *
 * @example
 * ```ts
 * using lease = await admitTurn(targets, target, sink, signal);
 * await streamRound({ baseUrl: lease.baseUrl, … });
 * ```
 */
export async function admitTurn(
  targets: ChatTargets,
  target: ChatTarget,
  sink: (event: ChatEvent) => unknown,
  signal: AbortSignal,
): Promise<Lease> {
  const pending = targets.acquire(target.profileId, { signal });
  if (target.state !== "running") sink(startingEvent(target));
  else if (!await settlesAtOnce(pending)) {
    sink({ type: "waiting", reason: "queued", content: `Waiting for a free slot on ${target.name}…` });
  }
  return await pending;
}
