/**
 * Connects the models area to profiles and the supervisor: who uses a model,
 * which parser lists the installed server offers, and when a model was last
 * served.
 *
 * @module
 */
import type { EventBus } from "./events.ts";
import { isModelId } from "./models/cache_layout.ts";
import type { ModelUsage } from "./models/usage.ts";
import type { ParserLists } from "./hub/parsers.ts";
import type { Profiles } from "./profiles/mod.ts";
import type { Supervisor } from "./supervisor/mod.ts";
import { parserOptions, type ServerInfoSource } from "./supervisor/server_info.ts";

const ACTIVE = new Set(["starting", "running", "stopping"]);

function usesModel(modelPath: string, modelId: string, folder: string): boolean {
  return modelPath === modelId || modelPath === folder || modelPath.startsWith(`${folder}/`);
}

/**
 * Model usage from the profiles table and the supervisor's live servers.
 *
 * @example
 * ```ts
 * const usage = profileModelUsage(profiles, supervisor);
 * usage.profilesUsing("mlx-community/Qwen3-8B-4bit", "/cache/models--mlx-community--Qwen3-8B-4bit");
 * // [{ id: 3, name: "qwen3" }]
 * ```
 */
export function profileModelUsage(profiles: Profiles, supervisor: Supervisor): ModelUsage {
  const over = (
    profileList: () => ReturnType<Profiles["list"]>,
    serverList: () => ReturnType<Supervisor["list"]>,
  ): ModelUsage => ({
    profilesUsing: (modelId, folder) =>
      profileList().filter((p) => usesModel(p.model_path, modelId, folder)).map((p) => ({
        id: p.id,
        name: p.name,
      })),
    runningUsing: (modelId, folder) =>
      serverList().filter((s) => ACTIVE.has(s.state) && usesModel(s.model_path, modelId, folder)).map((
        s,
      ) => ({ id: s.profile_id, name: s.profile_name })),
  });
  return {
    ...over(() => profiles.list(), () => supervisor.list()),
    view: () => {
      const [profileList, serverList] = [profiles.list(), supervisor.list()];
      return over(() => profileList, () => serverList);
    },
  };
}

/** The installed server's parser lists, as the models area needs them. */
export function installedParserLists(serverInfo: ServerInfoSource): () => Promise<ParserLists> {
  return async () => {
    const options = parserOptions(await serverInfo.get());
    return {
      tool_call_parsers: options.tool_call_parsers,
      reasoning_parsers: options.reasoning_parsers,
      message_converters: options.message_converters,
    };
  };
}

/** Records a model as used whenever a server serving it becomes ready; returns the unsubscribe function. */
export function recordModelUse(bus: EventBus, recordUse: (modelId: string) => void): () => void {
  return bus.on("server.update", (status) => {
    if (status.state === "running" && isModelId(status.model_path)) {
      recordUse(status.model_path);
    }
  });
}
