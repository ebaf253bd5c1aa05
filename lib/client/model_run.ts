/**
 * Runs a model in one step from a page: asks the server to run it (its
 * profile, download and start), then opens the dashboard, which shows the
 * download and then the server starting.
 *
 * @module
 */
import { api, errorMessage } from "./api.ts";
import { toast } from "./toast.ts";

/** The answer of `POST /api/models/run`. */
export interface RunAnswer {
  profile_id: number;
  download_task_id: string | null;
  created: boolean;
}

/**
 * Runs `modelId` and opens the dashboard; a refusal becomes a toast and null.
 *
 * @example
 * ```ts
 * await runModel("mlx-community/Qwen3-8B-4bit");
 * ```
 */
export async function runModel(modelId: string): Promise<RunAnswer | null> {
  try {
    const answer = await api<RunAnswer>("/api/models/run", { body: { model_id: modelId } });
    location.href = `/servers#profile-${answer.profile_id}`;
    return answer;
  } catch (error) {
    toast(`Cannot run ${modelId}: ${errorMessage(error)}`, "error");
    return null;
  }
}
