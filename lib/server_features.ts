/**
 * What the installed `mlx-openai-server` can do, as the profile form, the
 * validation and the System page need it: which profile fields it takes, how
 * it serves several requests, and what a newer version would add. Built on the
 * server side from its `--help` and `--version`; browser-safe: data and pure
 * functions only.
 *
 * @module
 */
import type { ProfileFieldName } from "./profile_fields.ts";

/**
 * How the server serves requests at once: `semaphore` runs up to
 * `--max-concurrency` (1.5.0–1.5.2), `serial` one at a time (1.5.3–1.7.x: one
 * worker thread), `batching` decodes several together (1.8).
 */
export type ConcurrencyMode = "semaphore" | "serial" | "batching";

/** The installed server's abilities. */
export interface ServerFeatures {
  installed: boolean;
  version: string | null;
  /** The profile fields it takes (as a flag, or filled into requests); null = unknown (not installed). */
  fields: ProfileFieldName[] | null;
  concurrency: ConcurrencyMode;
  /** `--disable-batching` exists (1.8.1): Max concurrency 1 serves one request at a time, seeds honoured. */
  disableBatching: boolean;
  /** `--served-model-name` exists (1.7): requests must carry the name the server was started with. */
  servedName: boolean;
  /** `/v1/queue/stats` reports batch figures (1.8). */
  batchStats: boolean;
  /** Vision (`multimodal`) requests are batched too (1.8.1). */
  multimodalBatching: boolean;
}

/**
 * Whether the server batches a profile's requests when asked to serve
 * several at once: lm on 1.8, multimodal from 1.8.1, never with a draft
 * model (speculative decoding runs one request at a time).
 */
export function batches(
  features: ServerFeatures,
  profile: { model_type: string; draft_model_path?: string | null },
): boolean {
  if (features.concurrency !== "batching" || profile.draft_model_path) return false;
  return profile.model_type === "lm" || (profile.model_type === "multimodal" && features.multimodalBatching);
}

/**
 * Requests a new profile serves at once on a batching server. Four lets the
 * chat page, an agent and a couple of API clients run together, which is where
 * batching pays most on a Mac (decoding is bound by memory bandwidth, so the
 * first few sequences share each weight read almost for free), while the
 * context memory of four long conversations stays a few GB for an 8B model.
 */
export const BATCHING_CONCURRENCY = 4;

/** The `max_concurrency` of a new profile of this type on this server. */
export function defaultConcurrency(
  features: ServerFeatures,
  profile: { model_type: string; draft_model_path?: string | null } = { model_type: "lm" },
): number {
  return batches(features, profile) ? BATCHING_CONCURRENCY : 1;
}

/** The ceiling of `--prompt-concurrency`: the server's own default, past which prefill gains little. */
export const PROMPT_CONCURRENCY_CAP = 8;

/**
 * What Max concurrency does on this server, for the form.
 *
 * @example
 * ```ts
 * concurrencyHint(features181); // "Requests the model serves at once. Above 1 the server batches them …"
 * ```
 */
export function concurrencyHint(features: ServerFeatures): string {
  const queue = "More requests wait in MLX Manager's queue.";
  const version = features.version ? ` ${features.version}` : "";
  switch (features.concurrency) {
    case "batching":
      return `Requests the model serves at once. Above 1 the server batches them (--decode-concurrency), so several answers stream together; each holds its own context in memory. 1 serves one at a time${
        features.disableBatching ? " and honours seeds (--disable-batching)" : ""
      }. ${queue}`;
    case "semaphore":
      return `Requests the server runs at once (--max-concurrency). ${queue}`;
    case "serial":
      return `mlx-openai-server${version} serves one request at a time: keep 1. ${queue} Version 1.8 or later serves several at once.`;
  }
}

/** What each version added that a profile can use. */
export const UPGRADES: readonly { version: string; enables: string }[] = [
  { version: "1.5.2", enables: "a prompt cache: a follow-up skips re-reading the conversation" },
  { version: "1.5.3", enables: "speculative decoding with a small draft model" },
  {
    version: "1.6.0",
    enables: "sampling defaults on the server (top_k, min_p, presence penalty, seed) and /v1/responses",
  },
  { version: "1.6.3", enables: "a byte limit for the prompt cache" },
  { version: "1.7.0", enables: "a served model name, so each server answers only to its profile" },
  {
    version: "1.8.0",
    enables:
      "continuous batching (several requests served at once), a prompt cache on disk and KV cache quantisation",
  },
  { version: "1.8.1", enables: "one-at-a-time serving with seeds honoured, and batching for vision models" },
];

/**
 * Whether `version` is `target` or newer (`1.8.1` ≥ `1.8`); false when unknown.
 *
 * @example
 * ```ts
 * versionAtLeast("1.8.1", "1.7.0"); // true
 * versionAtLeast(null, "1.5.0");    // false
 * ```
 */
export function versionAtLeast(version: string | null, target: string): boolean {
  if (!version) return false;
  const a = version.split(".").map((p) => parseInt(p, 10) || 0);
  const b = target.split(".").map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/**
 * What upgrading from `version` would enable, oldest first; empty when it is
 * the newest known version or unknown.
 *
 * @example
 * ```ts
 * upgradeNotes("1.7.0").map((u) => u.version); // ["1.8.0", "1.8.1"]
 * ```
 */
export function upgradeNotes(version: string | null): { version: string; enables: string }[] {
  if (!version) return [];
  return UPGRADES.filter((u) => !versionAtLeast(version, u.version));
}
