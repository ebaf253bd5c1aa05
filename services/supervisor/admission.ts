/**
 * The manager's queue in front of one profile's server: requests waiting for
 * it to start or for a free slot, each with its own deadline and abort
 * signal. It keeps the waiters; the state machine decides when to let them in.
 *
 * @module
 */
import { AppError } from "../../lib/errors.ts";
import { lastErrorTail, type ReasonContext, statusReason } from "../../lib/server_reason.ts";
import type { Profile } from "../../db/profiles.ts";
import { HeldLease, type Lease } from "./lease.ts";
import type { MachineEvent, MachineState, RejectReason } from "./machine.ts";

/** A waiting request. */
export interface Waiter {
  /** `performance.now()` at arrival. */
  since: number;
  /** It arrived while the server was not running: it waits for a start. */
  cold: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

interface Entry extends Waiter {
  timer: ReturnType<typeof setTimeout>;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** Seconds a client is told to wait after a full queue. */
export const QUEUE_FULL_RETRY_AFTER = 2;
/** Seconds a client is told to wait after a wait that timed out. */
export const QUEUE_TIMEOUT_RETRY_AFTER = 5;

/** The error of a wait longer than `seconds`: `unavailable` (`queue_timeout`), with `retryAfter`. */
export function queueTimeoutError(name: string, seconds: number): AppError {
  return new AppError("unavailable", `Waited more than ${seconds} s in the queue of "${name}"`, {
    reason: "queue_timeout",
    retryAfter: QUEUE_TIMEOUT_RETRY_AFTER,
  });
}

/** Log lines a refused request is told, after the reason. */
export const REJECTION_LOG_LINES = 8;

/**
 * The error waiting requests get: a spawn's own `unavailable` error as it is,
 * another spawn error as `model_start_failed` with its message, or the
 * machine's reason. A failed start or a crash leads with why (read from the
 * run's `lastError`, which holds the log tail: "Not enough GPU memory…"),
 * then the last lines of the log.
 */
export function rejection(
  name: string,
  why: RejectReason,
  lastError: string | null,
  context: ReasonContext = {},
): AppError {
  if ("error" in why) {
    const error = why.error;
    if (error instanceof AppError && error.code === "unavailable") return error;
    const message = error instanceof Error ? error.message : String(error);
    return new AppError("unavailable", `"${name}" could not start: ${message}`, {
      reason: "model_start_failed",
      cause: error,
    });
  }
  if (why.reason === "model_stopped") {
    return new AppError("unavailable", `"${name}": ${why.message}`, { reason: why.reason });
  }
  const cause = statusReason(lastError ?? why.message, [], context) ?? why.message;
  const what = why.reason === "model_start_failed" ? "could not start" : "stopped";
  const tail = lastErrorTail(lastError, REJECTION_LOG_LINES);
  const log = tail.length ? `\nThe last lines of its log:\n${tail.join("\n")}` : "";
  return new AppError("unavailable", `"${name}" ${what}: ${cause}${log}`, { reason: why.reason });
}

/** The error of a full queue: `rate_limited` (`queue_full`), with `retryAfter`. */
export function queueFullError(name: string, size: number): AppError {
  return new AppError(
    "rate_limited",
    `The queue of "${name}" is full (${size} waiting): try again shortly`,
    { reason: "queue_full", retryAfter: QUEUE_FULL_RETRY_AFTER },
  );
}

/**
 * The queue of one server.
 *
 * @example
 * ```ts
 * const queue = new Admission();
 * const admitted = queue.wait({ timeoutMs: 300_000, cold: true, onLeave, onTimeout });
 * queue.admit(1); // resolves `admitted`
 * ```
 */
export class Admission {
  #entries: Entry[] = [];

  /** Requests waiting now. */
  get size(): number {
    return this.#entries.length;
  }

  /**
   * Waits to be admitted: resolves with the waiter once {@link admit} lets it
   * in; rejects with `timeoutError()` after `timeoutMs`, with the signal's
   * reason on abort, or with what {@link rejectAll} passes. `onLeave` runs
   * when it leaves the queue without being admitted by timeout or abort.
   */
  wait(options: {
    timeoutMs: number;
    cold: boolean;
    signal?: AbortSignal;
    timeoutError: () => unknown;
    onLeave: () => void;
  }): Promise<Waiter> {
    return new Promise<Waiter>((resolve, reject) => {
      const leave = (error: unknown) => {
        if (!this.#remove(entry)) return;
        options.onLeave();
        reject(error);
      };
      const entry: Entry = {
        since: performance.now(),
        cold: options.cold,
        resolve: () => resolve(entry),
        reject,
        timer: setTimeout(() => leave(options.timeoutError()), options.timeoutMs),
        signal: options.signal,
      };
      if (options.signal) {
        entry.onAbort = () => leave(options.signal!.reason);
        options.signal.addEventListener("abort", entry.onAbort, { once: true });
      }
      this.#entries.push(entry);
    });
  }

  #remove(entry: Entry): boolean {
    const i = this.#entries.indexOf(entry);
    if (i < 0) return false;
    this.#entries.splice(i, 1);
    clearTimeout(entry.timer);
    if (entry.onAbort) entry.signal?.removeEventListener("abort", entry.onAbort);
    return true;
  }

  /** Lets the first `count` waiters in, in arrival order. */
  admit(count: number): void {
    for (const entry of this.#entries.slice(0, count)) {
      this.#remove(entry);
      entry.resolve();
    }
  }

  /** Fails every waiter with `error`. */
  rejectAll(error: unknown): void {
    for (const entry of [...this.#entries]) {
      this.#remove(entry);
      entry.reject(error);
    }
  }
}

/** What a {@link RequestGate} needs of its server. */
export interface GateHost {
  readonly id: number;
  readonly baseUrl: string;
  /** The `--served-model-name` of the current run, or null. */
  readonly servedModel: string | null;
  profile(): Pick<Profile, "name" | "queue_size" | "queue_timeout">;
  machine(): MachineState;
  send(event: MachineEvent): void;
  closed(): boolean;
  /** A request arrived while the server is not running. */
  coldRequest(): void;
  /** Seconds a cold start may take on top of the queue's own wait. */
  startTimeout: number;
  /** A waiter left or a lease ended (room may be free; the server was last used now). */
  released(kind: "left" | "ended"): void;
}

/**
 * The requests side of one server: checks the queue's limits, queues a
 * request, and hands out its lease once the machine admits it.
 *
 * @example
 * ```ts
 * const gate = new RequestGate(host);
 * using lease = await gate.acquire(signal);
 * ```
 */
export class RequestGate {
  readonly queue: Admission = new Admission();
  readonly #host: GateHost;

  constructor(host: GateHost) {
    this.#host = host;
  }

  /**
   * Queues one request and resolves with its lease once admitted. `model`
   * is the name the request asked for (the profile's name by default), shown
   * as the cause when it starts the server.
   *
   * @throws {AppError} `rate_limited` (`queue_full`); `unavailable`
   *   (`queue_timeout`, or why the start failed); the signal's reason on abort
   */
  async acquire(signal?: AbortSignal, model?: string): Promise<Lease> {
    const host = this.#host;
    if (host.closed()) throw new AppError("unavailable", "MLX Manager is shutting down");
    signal?.throwIfAborted();
    const { name, queue_size, queue_timeout } = host.profile();
    const m = host.machine();
    if (m.waiting + m.inFlight >= m.maxConcurrency + (queue_size ?? 100)) {
      throw queueFullError(name, m.waiting);
    }
    const cold = m.phase !== "running";
    const seconds = queue_timeout ?? 300;
    const admitted = this.queue.wait({
      timeoutMs: (seconds + (cold ? host.startTimeout : 0)) * 1000,
      cold,
      signal,
      timeoutError: () => queueTimeoutError(name, seconds),
      onLeave: () => {
        host.send({ type: "request_left" });
        host.released("left");
      },
    });
    if (cold) host.coldRequest();
    host.send({ type: "request_arrived", model: model ?? name });
    const waiter = await admitted;
    const facts = {
      profileId: host.id,
      baseUrl: host.baseUrl,
      coldStart: waiter.cold,
      servedModel: host.servedModel,
    };
    return new HeldLease({ ...facts, queueMs: Math.round(performance.now() - waiter.since) }, () => {
      host.send({ type: "request_ended" });
      host.released("ended");
    });
  }

  /** Lets `count` waiting requests in (the machine's `admit` effect). */
  admit(count: number): void {
    this.queue.admit(count);
    for (let i = 0; i < count; i++) this.#host.send({ type: "request_admitted" });
  }
}
