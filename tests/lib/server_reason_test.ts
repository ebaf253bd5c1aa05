import assert from "node:assert/strict";
import {
  failureReason,
  lastErrorTail,
  lastRun,
  type ReasonContext,
  statusCause,
  statusReason,
} from "../../lib/server_reason.ts";

const STAMP = "2026-12-03 09:41:07 | ERROR    | app.server:lifespan:131 | ✦ ";

/** Output lines as real servers write them, and the sentence each must give. */
const TABLE: { name: string; lines: string[]; context?: ReasonContext; reason: string | null }[] = [
  {
    name: "an unknown repo",
    lines: [
      `${STAMP}Failed to initialize MLX handler: Error loading model: 404 Client Error. (Request ID: Root=1-abc)`,
      "Repository Not Found for url: https://huggingface.co/api/models/mlx-community/No-Such-Model/revision/main.",
      "ERROR:    Application startup failed. Exiting.",
    ],
    context: { model: "mlx-community/No-Such-Model" },
    reason: "Repository not found on Hugging Face: mlx-community/No-Such-Model",
  },
  {
    name: "an unknown repo named only in the profile",
    lines: ["huggingface_hub.errors.RepositoryNotFoundError: 401 or 404"],
    context: { model: "org/name" },
    reason: "Repository not found on Hugging Face: org/name",
  },
  {
    name: "a gated repo",
    lines: [
      `${STAMP}Failed to initialize MLX handler: Error loading model: 401 Client Error.`,
      "Cannot access gated repo for url https://huggingface.co/meta-llama/Llama-3.2-1B/resolve/main/config.json.",
      "Access to model meta-llama/Llama-3.2-1B is restricted. You must have access to it and be authenticated.",
    ],
    reason: "Gated model: set HF_TOKEN and accept the licence",
  },
  {
    name: "Metal running out of memory",
    lines: [
      "libc++abi: terminating due to uncaught exception of type std::runtime_error: [METAL] Command buffer execution failed: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)",
    ],
    reason: "Not enough GPU memory for this model",
  },
  {
    name: "a port taken after the load (macOS errno)",
    lines: [
      "INFO:     Waiting for application startup.",
      "ERROR:    [Errno 48] error while attempting to bind on address ('127.0.0.1', 10240): address already in use",
      "INFO:     Waiting for application shutdown.",
    ],
    context: { port: 9999 },
    reason: "Port 10240 is in use by another program",
  },
  {
    name: "a port taken, the address not in the line",
    lines: ["OSError: [Errno 98] Address already in use"],
    context: { port: 10241 },
    reason: "Port 10241 is in use by another program",
  },
  {
    name: "the server missing from the Python environment",
    lines: ["/usr/bin/python3: No module named mlx_openai_server"],
    reason: "mlx-openai-server is not installed",
  },
  {
    name: "the server missing from PATH",
    lines: ["zsh: command not found: mlx-openai-server"],
    reason: "mlx-openai-server is not installed",
  },
  {
    name: "a backend package missing",
    lines: ["ModuleNotFoundError: No module named 'mlx_vlm'"],
    reason: "A Python package the server needs is missing: mlx_vlm",
  },
  {
    name: "an architecture the installed mlx-lm does not know",
    lines: [
      `${STAMP}Failed to initialize MLX handler: Error loading model: Model type fake_arch not supported.`,
    ],
    reason:
      "This model's architecture (fake_arch) is not supported by the installed mlx-lm: update mlx-openai-server",
  },
  {
    name: "a folder that holds no model",
    lines: [
      `${STAMP}Failed to initialize MLX handler: Error loading model: Repo id must be in the form 'repo_name' or 'namespace/repo_name': '/models/x'.`,
    ],
    context: { model: "/models/x" },
    reason: "The model /models/x is neither a model folder nor a Hugging Face repo id",
  },
  {
    name: "an offline start with nothing cached",
    lines: [
      "huggingface_hub.errors.LocalEntryNotFoundError: Cannot find an appropriate cached snapshot folder for the specified revision on the local disk and outgoing traffic has been disabled.",
    ],
    context: { model: "org/name" },
    reason: "The model org/name is not downloaded and the hub cannot be reached: download it first",
  },
  {
    name: "custom code without trust_remote_code",
    lines: [
      "ValueError: The repository contains custom code which must be executed. Please pass trust_remote_code=True",
    ],
    reason: "The model ships custom code: turn on Trust remote code in the profile",
  },
  {
    name: "an option the installed version refuses",
    lines: ["Usage: mlx-openai-server launch [OPTIONS]", "", "Error: No such option: --max-concurrency"],
    reason: "The installed mlx-openai-server refused an option: No such option: --max-concurrency",
  },
  {
    name: "anything else: the last error line, without its log prefix",
    lines: [
      "INFO:     Started server process [42]",
      `${STAMP}Failed to initialize MLX handler: Error loading model: first problem`,
      "ERROR:    Traceback (most recent call last):",
      '  File "app/server.py", line 131, in lifespan',
      "KeyError: 'model_type' Error: missing model_type",
      "ERROR:    Application startup failed. Exiting.",
    ],
    reason: "KeyError: 'model_type' Error: missing model_type",
  },
  {
    name: "nothing that looks like an error",
    lines: ["INFO:     Started server process [42]", "INFO:     Waiting for application startup."],
    reason: null,
  },
  { name: "no output at all", lines: [], reason: null },
  {
    name: "1.8: the model process killed while loading (macOS out of memory)",
    lines: [
      `${STAMP}Failed to initialize multi-handler setup: Handler process for 'profile-3' died during initialization (exit code -9)`,
      "ERROR:    Application startup failed. Exiting.",
    ],
    reason:
      "The model process was killed while loading (SIGKILL), as macOS does when memory runs out: use a smaller model or free memory",
  },
  {
    name: "1.8: the model process aborting while loading, with Metal's out-of-memory line",
    lines: [
      "libc++abi: terminating due to uncaught exception of type std::runtime_error: [METAL] Command buffer execution failed: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)",
      `${STAMP}Failed to initialize multi-handler setup: Handler process for 'profile-3' died during initialization (exit code -6)`,
    ],
    reason: "Not enough GPU memory for this model",
  },
  {
    name: "1.8: the model process crashing after it was ready",
    lines: [
      `${STAMP}Handler process for 'profile-3' is dead (exit code -11); attempting restart`,
    ],
    reason: "The model process crashed after it was ready (exit code -11)",
  },
  {
    name: "1.8: its own ready deadline",
    lines: [
      `${STAMP}Failed to initialize multi-handler setup: Handler process for 'profile-3' did not become ready within 300 s`,
    ],
    reason:
      "The model did not load within mlx-openai-server's fixed 300 s limit: a large model on a slow disk; starting again is faster once the files are cached",
  },
  {
    name: "1.8: a load error the model process reports",
    lines: [
      `${STAMP}Failed to initialize multi-handler setup: Handler process for 'profile-3' failed to initialize: Error loading model: No safetensors found in /models/x`,
    ],
    reason: "The model could not be loaded: No safetensors found in /models/x",
  },
  {
    name: "1.8: a known load error inside the model process's report",
    lines: [
      `${STAMP}Failed to initialize multi-handler setup: Handler process for 'profile-3' failed to initialize: Error loading model: Model type gemma9 not supported.`,
    ],
    reason:
      "This model's architecture (gemma9) is not supported by the installed mlx-lm: update mlx-openai-server",
  },
];

Deno.test("failureReason() says in one sentence why the server failed, for each failure it knows", () => {
  for (const row of TABLE) {
    assert.equal(failureReason(row.lines, row.context), row.reason, row.name);
  }
});

Deno.test("failureReason() prefers a known cause over a later generic error line", () => {
  const lines = [
    "libc++abi: terminating: [METAL] Insufficient Memory",
    "ERROR:    Something generic failed afterwards",
  ];
  assert.equal(failureReason(lines), "Not enough GPU memory for this model");
});

Deno.test("lastRun() keeps the server's lines after the manager's last start line", () => {
  const log = [
    "[mlx-manager] 2026-12-03T09:00:00.000Z Starting: mlx-openai-server launch --port 1",
    "Insufficient Memory",
    "[mlx-manager] 2026-12-03T09:00:05.000Z The process was killed by SIGABRT",
    "[mlx-manager] 2026-12-03T09:01:00.000Z Starting: mlx-openai-server launch --port 1",
    "INFO:     Started server process [7]",
    "[mlx-manager] 2026-12-03T09:01:05.000Z The process exited with code 0",
  ];
  assert.deepEqual(lastRun(log), ["INFO:     Started server process [7]"]);
  assert.deepEqual(lastRun(["a", "b"]), ["a", "b"]);
});

Deno.test("statusReason() reads the run's log, then last_error, and keeps a summary that says more than an exit", () => {
  assert.equal(statusReason(null, ["Insufficient Memory"]), null);
  const exited = "The server exited with code 0 before it was ready";
  assert.equal(
    statusReason(`${exited}\nINFO: loading`, [
      "[mlx-manager] t Starting: x",
      "Repository Not Found for url: https://huggingface.co/api/models/a/b",
    ]),
    "Repository not found on Hugging Face: a/b",
  );
  assert.equal(statusReason(`${exited}\nValueError: bad config`), "ValueError: bad config");
  assert.equal(statusReason(`${exited}\nINFO: nothing useful`), exited);
  assert.equal(
    statusReason("Did not become ready within 300 s\nINFO: loading\nWARNING: slow disk error"),
    "Did not become ready within 300 s",
  );
  assert.equal(
    statusReason("Did not become ready within 300 s\nlibc++abi: [METAL] Insufficient Memory"),
    "Not enough GPU memory for this model",
  );
});

Deno.test("statusCause() names the kind of a known cause, and the manager's own port check before an older log", () => {
  assert.deepEqual(
    statusCause("The server was killed by SIGABRT before it was ready\nlibc++abi: Insufficient Memory"),
    {
      text: "Not enough GPU memory for this model",
      code: "out_of_memory",
    },
  );
  const check =
    "Port 10240 is in use by another process: stop that process or choose another port for this profile";
  // An earlier run's log (here: out of memory) does not hide the check that refused this start.
  assert.deepEqual(statusCause(check, ["[mlx-manager] t Starting: x", "Insufficient Memory"]), {
    text: check,
    code: "port_in_use",
  });
  assert.deepEqual(statusCause('Port 10240 is used by the server of profile "other": stop it first'), {
    text: 'Port 10240 is used by the server of profile "other": stop it first',
    code: "port_in_use",
  });
  assert.deepEqual(statusCause("Did not become ready within 300 s"), {
    text: "Did not become ready within 300 s",
    code: null,
  });
  assert.equal(statusCause(null), null);
});

Deno.test("lastErrorTail() is the last lines after last_error's summary", () => {
  assert.deepEqual(lastErrorTail("The server exited\na\nb\nc", 2), ["b", "c"]);
  assert.deepEqual(lastErrorTail("The server exited", 5), []);
  assert.deepEqual(lastErrorTail(null, 5), []);
  assert.deepEqual(lastErrorTail("x\na", 0), []);
});

Deno.test("statusReason() says how far a 1.8 server got when its start ran out of time", () => {
  const log = (...lines: string[]) => ["[mlx-manager] t Starting: x", ...lines];
  assert.equal(
    statusReason("Did not become ready within 600 s", log("Spawned handler process for 'p' (pid=7)")),
    "Did not become ready within 600 s (the model was still loading)",
  );
  assert.equal(
    statusReason(
      "Did not become ready within 600 s",
      log("Spawned handler process for 'p' (pid=7)", "Handler process ready for model 'p'"),
    ),
    "Did not become ready within 600 s (the model had loaded; the server did not open its port)",
  );
});
