/**
 * A real app with a real profile whose server (the fake mlx-openai-server)
 * is started by the supervisor, for chat tests that go through every layer.
 *
 * @module
 */
import type { Profile } from "../../db/profiles.ts";
import { type TestRuntime, testRuntime } from "./runtime.ts";
import { createUser, json, type TestUser } from "./auth.ts";
import { createProfile, modelDir, serverEnv } from "./servers.ts";
import { recordWaiter } from "./fake_server.ts";
import { sseBlocks } from "./sse.ts";
import type { ServerVersion } from "./versions.ts";
import type { ChatEvent } from "../../lib/chat/types.ts";

/** Sends one chat request through the app and returns its events, once the stream has ended. */
export async function chatEvents(
  rt: TestRuntime,
  user: TestUser,
  body: Record<string, unknown>,
): Promise<ChatEvent[]> {
  const res = await rt.app.request("/api/chat/completions", json("POST", body, user.headers));
  if (res.status !== 200) throw new Error(`The chat answered ${res.status}: ${await res.text()}`);
  const events: ChatEvent[] = [];
  for await (const block of sseBlocks(res)) if (block.data) events.push(JSON.parse(block.data));
  return events;
}

/** What {@link withSupervisedChat} hands to the test. */
export interface SupervisedChat {
  rt: TestRuntime;
  user: TestUser;
  profile: Profile;
  /** The lines of the fake's RECORD file: chat requests and client hang-ups. */
  records(): Promise<Record<string, unknown>[]>;
  /** Waits until a record matches, or fails after `timeoutMs`. */
  waitForRecord(match: (r: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<void>;
}

/** Options of {@link withSupervisedChat}. */
export interface SupervisedChatOptions {
  /** The profile's model type. @default "lm" */
  modelType?: string;
  /** Start the server through the API before the test. @default true */
  start?: boolean;
  /** Profile fields. */
  profile?: Partial<Profile>;
  /** Extra settings of the manager (`MLX_MANAGER_MAX_LOADED_MODELS`, …). */
  env?: Record<string, string>;
  /** The version the fake plays. @default "1.5.1" */
  version?: ServerVersion;
}

/**
 * Creates an admin, a model folder with the fake's `knobs` (lower-case
 * names, as in `fake.json`), a profile through the API, and starts its
 * server through the API (waiting until it runs); closes everything after.
 *
 * @example
 * ```ts
 * await withSupervisedChat({ reasoning: "tags" }, async ({ rt, user, profile }) => { … });
 * ```
 */
export async function withSupervisedChat(
  knobs: Record<string, unknown>,
  fn: (chat: SupervisedChat) => Promise<void>,
  options: SupervisedChatOptions = {},
): Promise<void> {
  const rt = await testRuntime({ env: serverEnv(options.env ?? {}, options.version) });
  try {
    await rt.start();
    const user = await createUser(rt, { admin: true });
    const recordFile = `${rt.dataDir}/record.jsonl`;
    await Deno.writeTextFile(recordFile, "");
    const model = await modelDir(rt.dataDir, { load_delay_ms: 0, record: recordFile, ...knobs });
    const profile = await createProfile(rt, user, {
      name: "Fake Qwen",
      model_path: model,
      model_type: options.modelType ?? "lm",
      system_prompt: "You are terse.",
      ...options.profile,
    });
    if (options.start ?? true) {
      const res = await rt.app.request(
        `/api/servers/${profile.id}/start?wait=true`,
        json("POST", {}, user.headers),
      );
      if (res.status !== 200) throw new Error(`Cannot start the server: ${res.status} ${await res.text()}`);
      await res.body?.cancel();
    }
    const records = async () =>
      (await Deno.readTextFile(recordFile)).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    await fn({
      rt,
      user,
      profile,
      records,
      waitForRecord: recordWaiter(records),
    });
  } finally {
    await rt.close();
  }
}
