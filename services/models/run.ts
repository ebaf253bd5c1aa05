/**
 * Running a model in one step: find the profile that serves it (or create one
 * with the detected settings on a free port), download the model when it is
 * not in the cache, then start the server — right away, or when the download
 * completes.
 *
 * A run waiting for its download is stored ({@link RunStore}): after a
 * restart, {@link ModelRunner.resume} picks it up again, and the server starts
 * when the resumed download completes (or at once, when it completed while the
 * manager was down).
 *
 * Creating a profile stays an admin's act (profiles run code and open ports
 * as the manager's user): a user may run a model only once a profile for it
 * exists.
 *
 * @module
 */
import { modelNameKey, type Profile } from "../../db/profiles.ts";
import { AppError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { DownloadView } from "../../lib/model_types.ts";
import { parseWith } from "../../lib/validate.ts";
import type { EventBus } from "../events.ts";
import { suggestParsers } from "../hub/parsers.ts";
import type { DownloadManager } from "../downloads/manager.ts";
import type { Profiles } from "../profiles/mod.ts";
import type { Supervisor } from "../supervisor/mod.ts";
import { isModelId } from "./cache_layout.ts";
import type { Models } from "./mod.ts";
import type { RunStore, StoredRun } from "./run_store.ts";

/** Dependencies of {@link ModelRunner}. */
export interface ModelRunnerDeps {
  bus: EventBus;
  logger: Logger;
  profiles: Pick<Profiles, "list" | "create" | "schemas" | "options" | "nextPort">;
  supervisor: Pick<Supervisor, "start">;
  downloads: Pick<DownloadManager, "request" | "get" | "briefFor">;
  models: Pick<Models, "local" | "characteristics" | "parserLists">;
  /** Where waiting runs are kept across restarts. */
  store: RunStore;
}

/** Who asks to run a model. */
export interface RunRequester {
  id: number | null;
  isAdmin: boolean;
}

/** The answer to a run request. */
export interface RunAnswer {
  profile_id: number;
  /** The download the start waits for; null when the model was in the cache already. */
  download_task_id: string | null;
  /** Whether the profile was created for this run. */
  created: boolean;
}

/** A run waiting for its download, as the dashboard shows it. */
export interface PendingRun {
  profile_id: number;
  profile_name: string;
  model_id: string;
  download_task_id: string;
}

const FINAL = new Set(["completed", "failed", "cancelled"]);

/** A profile name for `modelId` that no profile uses as a name or alias: "Qwen3-8B-4bit", then "Qwen3-8B-4bit 2"… */
export function freeProfileName(modelId: string, profiles: readonly Profile[]): string {
  const taken = new Set(profiles.flatMap((p) => [p.name, ...p.aliases].map(modelNameKey)));
  const base = modelId.split("/").pop()!;
  if (!taken.has(modelNameKey(base))) return base;
  for (let n = 2;; n++) {
    const name = `${base} ${n}`;
    if (!taken.has(modelNameKey(name))) return name;
  }
}

/**
 * Runs models in one step.
 *
 * @example
 * ```ts
 * const runner = new ModelRunner({ bus, logger, profiles, supervisor, downloads, models });
 * const { profile_id, download_task_id } = await runner.run("mlx-community/Qwen3-8B-4bit", { id: 1, isAdmin: true });
 * ```
 */
export class ModelRunner {
  readonly #deps: ModelRunnerDeps;
  /** Runs waiting for a download, by profile id: the stored ones, read once by {@link resume}. */
  readonly #pending = new Map<number, StoredRun>();
  readonly #stop: () => void;

  constructor(deps: ModelRunnerDeps) {
    this.#deps = deps;
    this.#stop = deps.bus.on("download.update", (view) => void this.#downloaded(view as DownloadView));
  }

  /** The profile whose model is `modelId` (compared ignoring case, as the hub does), or null. */
  profileFor(modelId: string): Profile | null {
    const key = modelId.toLowerCase();
    return this.#deps.profiles.list().find((p) => p.model_path.toLowerCase() === key) ?? null;
  }

  /**
   * Runs a model: reuses its profile or (for an admin) creates one, downloads
   * the model when it is missing, and starts the server now or once the
   * download completes.
   *
   * @throws {AppError} `invalid` not a repo id; `forbidden` a user asks for a
   *   model no profile serves; the download's and the start's own errors
   */
  async run(modelId: string, who: RunRequester): Promise<RunAnswer> {
    if (!isModelId(modelId)) {
      const message = "Use the repository id, like mlx-community/Qwen3-8B-4bit";
      throw new AppError("invalid", `model_id: ${message}`, { fields: { model_id: message } });
    }
    const { downloads, supervisor } = this.#deps;
    const existing = this.profileFor(modelId);
    if (!existing && !who.isAdmin) {
      throw new AppError(
        "forbidden",
        `No profile runs ${modelId} yet, and only an admin can create profiles: ask an admin to run it once`,
      );
    }
    // The download is asked for first, so a missing or gated repository creates no profile.
    const download = await this.#missing(modelId, who);
    const profile = existing ?? await this.#createProfile(modelId);
    // A draft model (speculative decoding) the profile names is fetched in the same step.
    const draft = profile.draft_model_path && isModelId(profile.draft_model_path)
      ? await this.#missing(profile.draft_model_path, who)
      : null;
    const tasks = [download, draft].filter((d): d is DownloadView => d !== null && d.status !== "completed");
    if (tasks.length === 0) {
      await supervisor.start(profile.id);
    } else {
      const waiting: StoredRun = {
        profile_id: profile.id,
        profile_name: profile.name,
        model_id: modelId,
        download_task_id: tasks[0].task_id,
        draft_task_id: tasks[1]?.task_id ?? null,
        requested_by: who.id,
        requested_at: Date.now(),
      };
      // Stored before it is watched, so a run the manager watches is always one a restart finds.
      await this.#deps.store.put(waiting);
      this.#pending.set(profile.id, waiting);
      // The jobs may have ended between the request and now: look again.
      for (const task of tasks) {
        const now = downloads.get(task.task_id);
        if (now && FINAL.has(now.status)) await this.#downloaded(now);
      }
    }
    this.#deps.logger.info("Model run requested", { model: modelId, profile: profile.id });
    return { profile_id: profile.id, download_task_id: tasks[0]?.task_id ?? null, created: !existing };
  }

  /** The download of `modelId` when it is not in the cache (asked for now), else null. */
  async #missing(modelId: string, who: RunRequester): Promise<DownloadView | null> {
    const { models, downloads } = this.#deps;
    // A download under way has written some files already: the model is not there until it completes.
    const downloaded = !downloads.briefFor(modelId) && await models.local.isDownloaded(modelId);
    return downloaded ? null : (await downloads.request(modelId, who.id)).view;
  }

  /** The download jobs a run waits for. */
  #tasks(run: StoredRun): string[] {
    return [run.download_task_id, run.draft_task_id].filter((t): t is string => typeof t === "string");
  }

  /**
   * Watches again the runs stored by the last run of the manager. Call it
   * before the downloads resume, so no completion goes unseen: a run whose
   * download completed meanwhile starts its server now, one whose download
   * failed, was cancelled or removed is dropped with a notice.
   */
  async resume(): Promise<void> {
    const { downloads, store, logger } = this.#deps;
    for (const run of await store.list()) {
      this.#pending.set(run.profile_id, run);
      logger.info("Model run waits for its download again", { model: run.model_id, profile: run.profile_id });
    }
    for (const run of [...this.#pending.values()]) {
      for (const task of this.#tasks(run)) {
        if (!this.#pending.has(run.profile_id)) break;
        const view = downloads.get(task);
        if (!view) {
          this.#pending.delete(run.profile_id);
          await this.#forget(run.profile_id);
          this.#notice(`${run.model_id} was not started: its download was removed`, "error");
        } else if (FINAL.has(view.status)) {
          await this.#downloaded(view);
        }
      }
    }
  }

  /** The runs waiting for their download, oldest first. */
  pending(): PendingRun[] {
    return [...this.#pending.values()]
      .sort((a, b) => a.requested_at - b.requested_at)
      .map(({ profile_id, profile_name, model_id, download_task_id }) => ({
        profile_id,
        profile_name,
        model_id,
        download_task_id,
      }));
  }

  /** Stops watching downloads; waiting runs stay stored for the next start. */
  close(): void {
    this.#stop();
    this.#pending.clear();
  }

  async #createProfile(modelId: string): Promise<Profile> {
    const { profiles, models } = this.#deps;
    const [characteristics, lists, choices, port] = await Promise.all([
      models.characteristics.forModel(modelId).catch(() => null),
      models.parserLists(),
      profiles.options(),
      profiles.nextPort(),
    ]);
    const suggested = suggestParsers(modelId, lists, characteristics?.model_family ?? null);
    const offer = (value: string | undefined, list: string[]) => value && list.includes(value) ? value : null;
    const multimodal = characteristics?.is_multimodal && choices.model_types.includes("multimodal");
    const { create } = await profiles.schemas();
    return await profiles.create(parseWith(create, {
      name: freeProfileName(modelId, profiles.list()),
      model_path: modelId,
      port,
      model_type: multimodal ? "multimodal" : "lm",
      tool_call_parser: offer(suggested.tool_call_parser, choices.tool_call_parsers),
      reasoning_parser: offer(suggested.reasoning_parser, choices.reasoning_parsers),
      message_converter: offer(suggested.message_converter, choices.message_converters),
    }));
  }

  /**
   * Starts the servers whose downloads all completed with this one; a failed
   * or cancelled one drops its run.
   */
  async #downloaded(view: DownloadView): Promise<void> {
    if (!FINAL.has(view.status)) return;
    const runs = [...this.#pending.values()].filter((r) => this.#tasks(r).includes(view.task_id));
    for (const run of runs) {
      if (view.status !== "completed") {
        this.#pending.delete(run.profile_id);
        await this.#forget(run.profile_id);
        const why = view.model_id === run.model_id
          ? `its download ${view.status}`
          : `its draft model ${view.model_id} was not downloaded (${view.status})`;
        this.#notice(`${run.model_id} was not started: ${why}`, "error");
        continue;
      }
      const others = this.#tasks(run).filter((t) => t !== view.task_id);
      if (others.some((t) => this.#deps.downloads.get(t)?.status !== "completed")) continue;
      this.#pending.delete(run.profile_id);
      try {
        await this.#deps.supervisor.start(run.profile_id);
      } catch (error) {
        // A manager shutting down starts nothing: the next start does it.
        if (error instanceof AppError && error.code === "unavailable") continue;
        this.#notice(`Cannot start "${run.profile_name}": ${(error as Error).message}`, "error");
      }
      await this.#forget(run.profile_id);
    }
  }

  /** Removes a run from the store; a failure is logged (the run is then found again at the next start). */
  async #forget(profileId: number): Promise<void> {
    try {
      await this.#deps.store.delete(profileId);
    } catch (error) {
      this.#deps.logger.warn("Cannot forget a model run", { profile: profileId, error });
    }
  }

  #notice(message: string, kind: "info" | "error"): void {
    this.#deps.logger.warn(message);
    this.#deps.bus.publish("notice", { message, kind });
  }
}
