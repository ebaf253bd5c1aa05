/**
 * Helpers for tests that run model servers: the fake `mlx-openai-server`,
 * model folders with behaviour knobs, free ports, and waiting for a condition.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { freePort } from "./net.ts";
import type { Runtime } from "../../runtime.ts";
import type { ServerStatus } from "../../lib/event_types.ts";
import type { Profile } from "../../db/profiles.ts";
import type { TestUser } from "./auth.ts";
import { adminHeaders, json } from "./auth.ts";
import { fakeServerOf, type ServerVersion } from "./versions.ts";

/** The fake server's executable (set `MLX_MANAGER_MLX_SERVER` to it). */
export const FAKE_SERVER = fileURLToPath(new URL("../fixtures/bin/mlx-openai-server", import.meta.url));

/** Settings for fast supervisor tests: the fake server (as `version`) and short intervals. */
export function serverEnv(
  extra: Record<string, string> = {},
  version: ServerVersion = "1.5.1",
): Record<string, string> {
  return {
    MLX_MANAGER_MLX_SERVER: fakeServerOf(version),
    MLX_MANAGER_HEALTH_INTERVAL: "0.2",
    MLX_MANAGER_HEALTH_TIMEOUT: "0.5",
    MLX_MANAGER_STOP_TIMEOUT: "3",
    MLX_MANAGER_START_TIMEOUT: "30",
    ...extra,
  };
}

/**
 * Creates a model folder the fake loads (it has a `config.json`), with fake
 * knobs in `fake.json` (`{ load_delay_ms: 50, fail: "model_not_found" }`).
 */
export async function modelDir(root: string, knobs: Record<string, unknown> = {}): Promise<string> {
  const dir = `${root}/models/${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ model_type: "qwen3" }));
  await Deno.writeTextFile(`${dir}/fake.json`, JSON.stringify({ load_delay_ms: 100, ...knobs }));
  return dir;
}

/** Records every `server.update` event of a runtime. */
export function recordUpdates(rt: Runtime): { updates: ServerStatus[]; stop: () => void } {
  const updates: ServerStatus[] = [];
  const stop = rt.deps.bus.on("server.update", (status) => {
    updates.push(status);
  });
  return { updates, stop };
}

/** Creates a profile through the API (as `user` if an admin, else as the first admin) and returns it. */
export async function createProfile(
  rt: Runtime,
  user: TestUser,
  fields: Partial<Profile> & { model_path: string },
): Promise<Profile> {
  const isAdmin = rt.deps.accounts.get(user.id).is_admin;
  const headers = isAdmin ? user.headers : await adminHeaders(rt);
  const res = await rt.app.request(
    "/api/profiles",
    json("POST", {
      name: `profile-${crypto.randomUUID().slice(0, 6)}`,
      port: freePort(),
      ...fields,
    }, headers),
  );
  if (res.status !== 201) throw new Error(`Cannot create profile: ${res.status} ${await res.text()}`);
  return await res.json();
}

/** Whether a process exists. */
export function alive(pid: number): boolean {
  try {
    Deno.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
