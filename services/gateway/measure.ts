/**
 * Turns what the observer saw into an activity row's token and timing
 * figures. Pure: observations and clock readings in, figures out.
 *
 * @module
 */
import type { Observation } from "./observer.ts";

/** The token and timing columns of an activity row. */
export interface Figures {
  prompt_tokens: number | null;
  completion_tokens: number | null;
  tokens_estimated: boolean;
  ttft_ms: number | null;
  tokens_per_second: number | null;
}

/** Clock readings (`performance.now()`) of one request. */
export interface Times {
  /** The request arrived. */
  received: number;
  /** It was sent to the server. */
  sent: number;
  /** The answer ended. */
  ended: number;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Figures of a streamed answer: the server's usage, else the delta count
 * (marked estimated); TTFT from receipt to the first token; decode rate
 * between the first and the last token.
 *
 * @example
 * ```ts
 * streamFigures(observer.observation, { received: 0, sent: 1, ended: 500 }, () => 12);
 * ```
 */
export function streamFigures(o: Observation, times: Times, promptEstimate: () => number | null): Figures {
  const completion = o.usage ? o.usage.completion_tokens : o.deltas;
  const span = o.firstTokenAt !== null && o.lastTokenAt !== null ? o.lastTokenAt - o.firstTokenAt : 0;
  return {
    prompt_tokens: o.usage ? o.usage.prompt_tokens : promptEstimate(),
    completion_tokens: completion,
    tokens_estimated: o.usage === null,
    ttft_ms: o.firstTokenAt === null ? null : round(o.firstTokenAt - times.received),
    tokens_per_second: completion >= 2 && span > 0
      ? round((completion - 1) / (span / 1000))
      : completion > 0
      ? round(completion / ((times.ended - times.sent) / 1000))
      : null,
  };
}

/** Figures of a whole JSON answer: its usage and the end-to-end rate. */
export function jsonFigures(usage: Observation["usage"], times: Times): Figures {
  return {
    prompt_tokens: usage?.prompt_tokens ?? null,
    completion_tokens: usage?.completion_tokens ?? null,
    tokens_estimated: false,
    ttft_ms: null,
    tokens_per_second: usage && usage.completion_tokens > 0
      ? round(usage.completion_tokens / ((times.ended - times.sent) / 1000))
      : null,
  };
}
