import assert from "node:assert/strict";
import { PROFILE_DEFAULTS } from "../../../lib/profile_fields.ts";
import type { Profile } from "../../../db/profiles.ts";
import { buildLaunchCommand } from "../../../services/supervisor/command.ts";
import { restartPending } from "../../../services/supervisor/pending_restart.ts";
import { parseLaunchHelp, type ServerInfo } from "../../../services/supervisor/server_info.ts";

const HELP = `Options:
  --model-path TEXT
  --model-type [lm|multimodal]
  --context-length INTEGER
  --port INTEGER
  --host TEXT
  --max-concurrency INTEGER
  --tool-call-parser [hermes|qwen3]
  --no-log-file
`;
const info: ServerInfo = {
  installed: true,
  executable: "/venv/bin/mlx-openai-server",
  version: "1.5.1",
  options: parseLaunchHelp(HELP),
  error: null,
};
const profile: Profile = {
  ...PROFILE_DEFAULTS,
  id: 1,
  name: "Qwen3",
  model_path: "mlx-community/Qwen3-8B-4bit",
  port: 10240,
  aliases: [],
  created_at: "",
  updated_at: "",
};
const started = (p: Profile) => {
  const command = buildLaunchCommand(p, info, { hfHome: "/hf", offline: true });
  return [command.executable, ...command.args];
};

Deno.test("restartPending() is true once a saved setting the server is started with differs from what it runs", () => {
  const running = started(profile);
  assert.equal(restartPending(running, profile, info), false);
  assert.equal(restartPending(running, { ...profile, context_length: 8192 }, info), true);
  assert.equal(restartPending(running, { ...profile, port: 10241 }, info), true);
  assert.equal(restartPending(running, { ...profile, tool_call_parser: "qwen3" }, info), true);
  // Settings the manager applies itself, at once, need no restart.
  const live = { ...profile, name: "Renamed", idle_timeout: 60, keep_loaded: true, temperature: 0.2 };
  assert.equal(restartPending(running, live, info), false);
  // Saved settings the installed server cannot start with are not what runs either.
  assert.equal(restartPending(running, { ...profile, tool_call_parser: "glm4_moe" }, info), true);
});

Deno.test("restartPending() is false when nothing runs or the server's options are not known", () => {
  assert.equal(restartPending(null, { ...profile, port: 1 }, info), false);
  assert.equal(restartPending(started(profile), { ...profile, port: 1 }, null), false);
  const missing: ServerInfo = {
    installed: false,
    executable: null,
    version: null,
    options: {},
    error: "gone",
  };
  assert.equal(restartPending(started(profile), { ...profile, port: 1 }, missing), false);
});

Deno.test("restartPending() compares with the same prompt-cache folder a 1.8 server was started with", () => {
  const help18 =
    `${HELP}  --prompt-cache-dir TEXT\n  --decode-concurrency INTEGER\n  --prompt-concurrency INTEGER\n`;
  const info18: ServerInfo = { ...info, version: "1.8.1", options: parseLaunchHelp(help18) };
  const options = { promptCacheDir: "/data/prompt-cache/profile-1" };
  const command = buildLaunchCommand(profile, info18, options);
  const running = [command.executable, ...command.args];
  assert.ok(running.includes("--prompt-cache-dir"));
  assert.equal(restartPending(running, profile, info18, options), false);
  assert.equal(restartPending(running, { ...profile, port: 10241 }, info18, options), true);
});
