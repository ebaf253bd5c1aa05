import { PROFILE_DEFAULTS } from "../../../lib/profile_fields.ts";
import assert from "node:assert/strict";
import { buildLaunchCommand } from "../../../services/supervisor/command.ts";
import { parseLaunchHelp, type ServerInfo } from "../../../services/supervisor/server_info.ts";
import type { Profile } from "../../../db/profiles.ts";
import { AppError } from "../../../lib/errors.ts";

const HELP_151 = `Options:
  --model-path TEXT
  --model-type [lm|multimodal|image-generation|image-edit|embeddings|whisper]
  --context-length INTEGER
  --port INTEGER
  --host TEXT
  --max-concurrency INTEGER
  --queue-timeout INTEGER
  --queue-size INTEGER
  --log-file TEXT
  --no-log-file
  --log-level [DEBUG|INFO|WARNING|ERROR|CRITICAL]
  --enable-auto-tool-choice
  --tool-call-parser [hermes|qwen3|qwen3_coder]
  --reasoning-parser [qwen3|glm47_flash]
  --message-converter [glm4_moe|minimax_m2]
  --trust-remote-code
  --chat-template-file TEXT
`;

function info(help: string, version = "1.5.1"): ServerInfo {
  return {
    installed: true,
    executable: "/venv/bin/mlx-openai-server",
    version,
    options: parseLaunchHelp(help),
    error: null,
  };
}

const profile: Profile = {
  ...PROFILE_DEFAULTS,
  id: 1,
  name: "Qwen3",
  description: "d",
  model_path: "mlx-community/Qwen3-8B-4bit",
  port: 10240,
  auto_start: true,
  restart_on_crash: true,
  system_prompt: "Be brief",
  aliases: [],
  created_at: "",
  updated_at: "",
};

Deno.test("buildLaunchCommand passes every set field, always --no-log-file, and PYTHONUNBUFFERED", () => {
  const cmd = buildLaunchCommand(
    {
      ...profile,
      model_type: "multimodal",
      host: "0.0.0.0",
      context_length: 32768,
      max_concurrency: 2,
      queue_timeout: 60,
      queue_size: 10,
      tool_call_parser: "qwen3_coder",
      reasoning_parser: "glm47_flash",
      message_converter: "minimax_m2",
      enable_auto_tool_choice: true,
      trust_remote_code: true,
      chat_template_file: "/templates/chat.jinja",
      log_level: "DEBUG",
    },
    info(HELP_151),
    { hfHome: "/hf", hfHubCache: "/hf/hub", offline: true },
  );
  assert.equal(cmd.executable, "/venv/bin/mlx-openai-server");
  assert.deepEqual(cmd.args, [
    "launch",
    "--model-path",
    "mlx-community/Qwen3-8B-4bit",
    "--model-type",
    "multimodal",
    "--host",
    "0.0.0.0",
    "--port",
    "10240",
    "--context-length",
    "32768",
    "--max-concurrency",
    "2",
    "--queue-timeout",
    "60",
    "--queue-size",
    "10",
    "--tool-call-parser",
    "qwen3_coder",
    "--reasoning-parser",
    "glm47_flash",
    "--message-converter",
    "minimax_m2",
    "--enable-auto-tool-choice",
    "--trust-remote-code",
    "--chat-template-file",
    "/templates/chat.jinja",
    "--log-level",
    "DEBUG",
    "--no-log-file",
  ]);
  assert.deepEqual(cmd.env, {
    PYTHONUNBUFFERED: "1",
    HF_HOME: "/hf",
    HF_HUB_CACHE: "/hf/hub",
    HF_HUB_OFFLINE: "1",
  });
});

Deno.test("buildLaunchCommand leaves out unset fields", () => {
  const { args } = buildLaunchCommand(profile, info(HELP_151));
  assert.ok(!args.includes("--context-length"));
  assert.ok(!args.includes("--tool-call-parser"));
  assert.ok(!args.includes("--trust-remote-code"));
  assert.ok(!args.includes("--log-file"));
  assert.equal(args.at(-1), "--no-log-file");
});

const HELP_170 = HELP_151.replace("  --max-concurrency INTEGER\n", "").replace(
  "  --message-converter [glm4_moe|minimax_m2]\n",
  "",
);

Deno.test("on 1.7 (no --max-concurrency, no --message-converter) default values are left out and set ones refused", () => {
  const { args } = buildLaunchCommand(profile, info(HELP_170, "1.7.0"));
  assert.ok(!args.includes("--max-concurrency"));
  assert.throws(
    () =>
      buildLaunchCommand(
        { ...profile, max_concurrency: 4, message_converter: "minimax_m2" },
        info(HELP_170, "1.7.0"),
      ),
    (error: AppError) => {
      assert.equal(error.code, "conflict");
      assert.equal(error.reason, "unsupported_option");
      assert.deepEqual(Object.keys(error.fields!), ["max_concurrency", "message_converter"]);
      assert.equal(
        error.fields!.max_concurrency,
        "The installed mlx-openai-server 1.7.0 has no --max-concurrency option: set Max concurrency to 1 or install a version that has it",
      );
      assert.equal(
        error.fields!.message_converter,
        "The installed mlx-openai-server 1.7.0 has no --message-converter option: clear Message converter or install a version that has it",
      );
      return true;
    },
  );
});

Deno.test("buildLaunchCommand refuses a value outside the installed version's choices, and a missing server", () => {
  assert.throws(
    () => buildLaunchCommand({ ...profile, tool_call_parser: "qwen3_next" }, info(HELP_151)),
    /does not accept Tool call parser "qwen3_next": choose one of hermes, qwen3, qwen3_coder/,
  );
  assert.throws(
    () =>
      buildLaunchCommand(profile, {
        installed: false,
        executable: null,
        version: null,
        options: {},
        error: "gone",
      }),
    (error: AppError) =>
      error.code === "conflict" && error.reason === "server_not_installed" && error.message === "gone",
  );
});
