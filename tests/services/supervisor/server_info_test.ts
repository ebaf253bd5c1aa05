import assert from "node:assert/strict";
import {
  parseLaunchHelp,
  parserOptions,
  ServerInfoSource,
} from "../../../services/supervisor/server_info.ts";
import { FAKE_SERVER } from "../../helpers/servers.ts";
import { DenoCommandRunner } from "../../../services/platform/runner.ts";

const runner = new DenoCommandRunner();
const path = Deno.env.get("PATH") ?? "";

// click 8 output of mlx-openai-server 1.5.1 (abridged): long first columns put the help on the next line.
const CLICK_HELP = `Usage: mlx-openai-server launch [OPTIONS]

  Start the FastAPI/Uvicorn server with the supplied flags.

Options:
  --model-path TEXT               Path to the model (required for lm,
                                  multimodal, embeddings, image-generation,
                                  image-edit, whisper). With \`--model-type
                                  lm\` this can be a Hugging Face repo id.
  --model-type [lm|multimodal|image-generation|image-edit|embeddings|whisper]
                                  Type of model to run
  --port INTEGER                  Port to run the server on
  --max-concurrency INTEGER       Maximum number of concurrent requests
  --no-log-file                   Disable file logging entirely. Only console
                                  output will be shown.
  --log-level [DEBUG|INFO|WARNING|ERROR|CRITICAL]
                                  Set the logging level. Default is INFO.
  --enable-auto-tool-choice       Enable automatic tool choice. --tool-call-
                                  parser must be set too.
  --tool-call-parser [functiongemma|glm4_moe|harmony|hermes]
                                  Specify tool call parser to use instead of
                                  auto-detection.
  -h, --help                      Show this message and exit.
`;

Deno.test("parseLaunchHelp reads click's option list: flags, value options and choice lists", () => {
  const options = parseLaunchHelp(CLICK_HELP);
  assert.deepEqual(Object.keys(options), [
    "--model-path",
    "--model-type",
    "--port",
    "--max-concurrency",
    "--no-log-file",
    "--log-level",
    "--enable-auto-tool-choice",
    "--tool-call-parser",
  ]);
  assert.deepEqual(options["--model-type"].choices, [
    "lm",
    "multimodal",
    "image-generation",
    "image-edit",
    "embeddings",
    "whisper",
  ]);
  assert.deepEqual(options["--port"], { takesValue: true, choices: null });
  assert.deepEqual(options["--no-log-file"], { takesValue: false, choices: null });
  assert.deepEqual(options["--tool-call-parser"].choices, ["functiongemma", "glm4_moe", "harmony", "hermes"]);
});

Deno.test("ServerInfoSource discovers the installed server once: version and launch options", async () => {
  const source = new ServerInfoSource({ executable: FAKE_SERVER, home: "/nonexistent", path, runner });
  const info = await source.get();
  assert.equal(info.installed, true);
  assert.equal(info.executable, FAKE_SERVER);
  assert.equal(info.version, "1.5.1");
  assert.ok(info.options["--message-converter"]?.choices?.includes("minimax_m2"));
  assert.equal(info.options["--trust-remote-code"]?.takesValue, false);
  assert.equal(await source.get(), info, "cached");
  const options = parserOptions(info);
  assert.deepEqual(options.tool_call_parsers, [...options.tool_call_parsers].sort());
  assert.deepEqual(options.log_levels, ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]);
});

Deno.test("ServerInfoSource finds a name on PATH, and explains a missing server", async () => {
  const found = await new ServerInfoSource({ executable: "sh", home: "/nonexistent", path, runner }).get();
  assert.match(found.executable ?? "", /^\/.*\/sh$/);
  assert.equal(found.installed, false, "sh has no `launch --help` option list");
  assert.match(found.error!, /Cannot read the options of/);

  const missing = await new ServerInfoSource({
    executable: "mlx-openai-server-nope",
    home: "/nonexistent",
    path,
    runner,
  })
    .get();
  assert.equal(missing.installed, false);
  assert.equal(
    missing.error,
    'mlx-openai-server was not found (looked for "mlx-openai-server-nope"): install it with `pip install mlx-openai-server` or `uv tool install mlx-openai-server`, or set MLX_MANAGER_MLX_SERVER to its path',
  );
  assert.equal(parserOptions(missing).source, "fallback");
});

Deno.test("ServerInfoSource also looks in ~/.local/bin, where uv tool install puts it", async () => {
  const home = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${home}/.local/bin`, { recursive: true });
    const local = `${home}/.local/bin/mlx-openai-server-local`;
    await Deno.writeTextFile(local, `#!/bin/sh\nexec "${FAKE_SERVER}" "$@"\n`);
    await Deno.chmod(local, 0o755);
    const info = await new ServerInfoSource({ executable: "mlx-openai-server-local", home, path, runner })
      .get();
    assert.equal(info.executable, `${home}/.local/bin/mlx-openai-server-local`);
    assert.equal(info.installed, true);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
