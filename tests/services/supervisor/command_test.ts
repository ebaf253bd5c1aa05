import { PROFILE_DEFAULTS } from "../../../lib/profile_fields.ts";
import assert from "node:assert/strict";
import { buildLaunchCommand } from "../../../services/supervisor/command.ts";
import { refusals, SERVER_QUEUE_TIMEOUT } from "../../../services/supervisor/server_flags.ts";
import { flagsOf, metavar } from "../../fixtures/fake_mlx_versions.ts";
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
    "--max-concurrency",
    "2",
    // The manager's own queue bounds the wait: the server never ends a request a client waits for.
    "--queue-timeout",
    String(SERVER_QUEUE_TIMEOUT),
    "--queue-size",
    "10",
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
      assert.deepEqual(Object.keys(error.fields!).sort(), ["max_concurrency", "message_converter"]);
      assert.equal(
        error.fields!.max_concurrency,
        "The installed mlx-openai-server 1.7.0 serves one request at a time: set Max concurrency to 1, or install 1.8 or later to serve several at once",
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

/** `launch --help` of a version, as the fake prints it (the options of `mlx-openai-server-1.8.md` §1). */
function helpOf(version: string): string {
  return "Options:\n" + flagsOf(version).map((f) => `  ${f.name}${metavar(f)}  ${f.help}\n`).join("");
}

const V181 = info(helpOf("1.8.1"), "1.8.1");
const V180 = info(helpOf("1.8.0"), "1.8.0");

Deno.test("on 1.8.1 the profile is served under a stable name, batched up to max_concurrency, and no removed flag is passed", () => {
  const { args } = buildLaunchCommand({ ...profile, max_concurrency: 12 }, V181, {
    promptCacheDir: "/data/pc/1",
  });
  const after = (flag: string) => args[args.indexOf(flag) + 1];
  assert.equal(after("--served-model-name"), "profile-1");
  assert.equal(after("--decode-concurrency"), "12");
  assert.equal(after("--prompt-concurrency"), "8", "prefill is capped at the server's own 8");
  assert.equal(after("--queue-timeout"), String(SERVER_QUEUE_TIMEOUT));
  assert.equal(after("--prompt-cache-dir"), "/data/pc/1");
  assert.ok(!args.includes("--max-concurrency") && !args.includes("--message-converter"));
  assert.ok(!args.includes("--disable-batching"));

  const one = buildLaunchCommand(profile, V181).args;
  assert.ok(one.includes("--disable-batching"), "1 request at a time, seeds honoured");
  assert.ok(!one.includes("--decode-concurrency"));
  const small = buildLaunchCommand({ ...profile, max_concurrency: 3 }, V181).args;
  assert.deepEqual(
    small.slice(small.indexOf("--decode-concurrency"), small.indexOf("--decode-concurrency") + 4),
    [
      "--decode-concurrency",
      "3",
      "--prompt-concurrency",
      "3",
    ],
  );
  // 1.8.0 has no --disable-batching: one sequence at a time is a batch of one.
  const old = buildLaunchCommand(profile, V180).args;
  assert.equal(old[old.indexOf("--decode-concurrency") + 1], "1");
  // The same profile on 1.5.1 keeps its 1.5 command line.
  const v151 = buildLaunchCommand({ ...profile, max_concurrency: 12 }, info(HELP_151)).args;
  assert.equal(v151[v151.indexOf("--max-concurrency") + 1], "12");
  assert.ok(!v151.includes("--served-model-name") && !v151.includes("--decode-concurrency"));
});

Deno.test("buildLaunchCommand passes the new options and sampling defaults as flags where the version has them", () => {
  const tuned: Profile = {
    ...profile,
    temperature: 0.6,
    top_p: 0.9,
    max_tokens: 4096,
    top_k: 40,
    min_p: 0.05,
    repetition_penalty: 1.1,
    presence_penalty: 0.5,
    prompt_cache_size: 20,
    prompt_cache_bytes: 8_000_000_000,
    draft_model_path: "mlx-community/Qwen3-0.6B-4bit",
    num_draft_tokens: 3,
    kv_bits: 8,
  };
  const { args } = buildLaunchCommand(tuned, V181);
  const after = (flag: string) => args[args.indexOf(flag) + 1];
  assert.deepEqual(
    [
      "--temperature",
      "--top-p",
      "--max-tokens",
      "--top-k",
      "--min-p",
      "--repetition-penalty",
      "--presence-penalty",
    ]
      .map(after),
    ["0.6", "0.9", "4096", "40", "0.05", "1.1", "0.5"],
  );
  assert.deepEqual(["--prompt-cache-size", "--max-bytes", "--num-draft-tokens", "--kv-bits"].map(after), [
    "20",
    "8000000000",
    "3",
    "8",
  ]);
  assert.equal(after("--draft-model-path"), "mlx-community/Qwen3-0.6B-4bit");
  // On 1.5.1 the sampling defaults it has no flag for are filled into each request instead.
  const v151 = buildLaunchCommand({ ...profile, temperature: 0.6, top_k: 40, seed: 7 }, info(HELP_151)).args;
  assert.ok(!v151.some((a) => ["--temperature", "--top-k", "--seed"].includes(a)));
  const image = buildLaunchCommand(
    {
      ...profile,
      model_type: "image-generation",
      lora_paths: ["/l/a.safetensors", "org/b"],
      lora_scales: [0.8, 1],
    },
    V181,
  ).args;
  assert.equal(image[image.indexOf("--lora-paths") + 1], "/l/a.safetensors,org/b");
  assert.equal(image[image.indexOf("--lora-scales") + 1], "0.8,1");
  assert.ok(!image.includes("--prompt-cache-dir") && !image.includes("--decode-concurrency"));
});

Deno.test("refusals() names the version for each setting it cannot honour", () => {
  const refused = (p: Partial<Profile>, i: ServerInfo) => refusals({ ...profile, ...p }, i);
  assert.match(
    refused({ kv_bits: 4 }, info(HELP_151)).kv_bits,
    /1\.5\.1 has no --kv-bits option: clear KV cache bits/,
  );
  assert.match(
    refused({ presence_penalty: 0.5 }, info(HELP_151)).presence_penalty,
    /1\.5\.1 has no --presence-penalty option/,
    "1.5.1 ignores presence_penalty in requests too",
  );
  assert.deepEqual(refused({ top_k: 40, seed: 7, repetition_penalty: 1.1 }, info(HELP_151)), {});
  // 1.5.3 to 1.7 run one request at a time, whatever --max-concurrency says.
  assert.match(
    refused({ max_concurrency: 2 }, info(helpOf("1.6.3"), "1.6.3")).max_concurrency,
    /1\.6\.3 serves one request at a time/,
  );
  // Batched generation on 1.8 ignores the rotating window, lm KV quantisation and seeds.
  const batched = refused({ max_concurrency: 4, context_length: 8192, kv_bits: 4, seed: 1 }, V181);
  assert.deepEqual(Object.keys(batched).sort(), ["context_length", "kv_bits", "seed"]);
  assert.match(batched.seed, /1\.8\.1 batches requests when Max concurrency is above 1.*ignores seeds/);
  assert.deepEqual(
    refused({ context_length: 8192, kv_bits: 4, seed: 1 }, V181),
    {},
    "one at a time honours them",
  );
  assert.match(
    refused({ max_concurrency: 4, draft_model_path: "org/small" }, V181).max_concurrency,
    /A draft model serves one request at a time/,
  );
  assert.match(
    refused({ max_concurrency: 4, model_type: "multimodal" }, V180).max_concurrency,
    /one multimodal/,
  );
  assert.deepEqual(refused({ max_concurrency: 4, model_type: "multimodal" }, V181), {});
  assert.match(refused({ num_draft_tokens: 3 }, V181).num_draft_tokens, /needs a Draft model/);
  assert.match(
    refused({ draft_model_path: "org/small", model_type: "multimodal" }, V181).draft_model_path,
    /lm models only/,
  );
  assert.match(
    refused({ model_type: "image-generation", lora_paths: ["/a"], lora_scales: [1, 2] }, V181).lora_scales,
    /one scale per LoRA adapter \(1 adapters, 2 scales\)/,
  );
  // 1.7+ derives the message converter from the tool parser: the same name is honoured.
  assert.deepEqual(refused({ message_converter: "glm4_moe", tool_call_parser: "glm4_moe" }, V181), {});
  assert.match(refused({ message_converter: "glm4_moe" }, V181).message_converter, /no --message-converter/);
});
