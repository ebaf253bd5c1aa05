/**
 * Which profiles and running servers use a model. Profiles and the server
 * supervisor own that knowledge; they provide a {@link ModelUsage} to the
 * models services through the composition root.
 *
 * @module
 */
import type { UsageRef } from "../../lib/model_types.ts";

/**
 * Answers "who uses this model". `modelId` is the repository id (`org/name`)
 * and `folder` its folder in the cache (`…/models--org--name`): a profile uses
 * the model when its `model_path` equals the id or lies inside that folder.
 */
export interface ModelUsage {
  /** Profiles whose model is this one. */
  profilesUsing(modelId: string, folder: string): UsageRef[] | Promise<UsageRef[]>;
  /** Running servers (by profile) serving this model. */
  runningUsing(modelId: string, folder: string): UsageRef[] | Promise<UsageRef[]>;
  /**
   * The same answers from one reading of the profiles and servers, for
   * describing a whole cache at once; without it each question reads again.
   */
  view?(): ModelUsage;
}

/**
 * The usage source until profiles and the supervisor provide theirs: nothing
 * uses any model.
 */
export const NO_MODEL_USAGE: ModelUsage = Object.freeze({
  profilesUsing: () => [],
  runningUsing: () => [],
});
