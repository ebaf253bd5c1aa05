/**
 * Waiting for a started server to answer `/health`: probes every 250 ms (at
 * once when the log says the port opened) until it answers or the start
 * timeout passes.
 *
 * @module
 */
import type { ProbeResult } from "./health.ts";

/** What {@link Readiness} reports to. */
export interface ReadinessHooks {
  probe(): Promise<ProbeResult>;
  /** Whether a probe's answer still matters (the server is starting, with no failure). */
  pending(): boolean;
  ready(result: ProbeResult): void;
  missed(reason: string): void;
}

/**
 * The readiness watch of one run.
 *
 * @example
 * ```ts
 * const readiness = new Readiness(600, hooks);
 * readiness.begin(Date.now(), 100);
 * ```
 */
export class Readiness {
  readonly #timeoutSeconds: number;
  readonly #hooks: ReadinessHooks;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #startedAt = 0;

  constructor(timeoutSeconds: number, hooks: ReadinessHooks) {
    this.#timeoutSeconds = timeoutSeconds;
    this.#hooks = hooks;
  }

  /** Starts watching a run started at `startedAt` (ms), first probe after `delayMs`. */
  begin(startedAt: number, delayMs: number): void {
    this.#startedAt = startedAt;
    this.check(delayMs);
  }

  /** Probes after `delayMs` (0: now, the port just opened). */
  check(delayMs = 0): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#run(), delayMs);
  }

  cancel(): void {
    clearTimeout(this.#timer);
  }

  async #run(): Promise<void> {
    if (!this.#hooks.pending()) return;
    if (Date.now() > this.#startedAt + this.#timeoutSeconds * 1000) {
      return this.#hooks.missed(`Did not become ready within ${this.#timeoutSeconds} s`);
    }
    const result = await this.#hooks.probe();
    if (!this.#hooks.pending()) return;
    if (result.ok) this.#hooks.ready(result);
    else this.check(250);
  }
}
