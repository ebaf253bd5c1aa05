import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, json } from "../../helpers/auth.ts";
import { alive, modelDir, serverEnv } from "../../helpers/servers.ts";
import { freePort, waitFor } from "../../helpers/net.ts";
import { fakeServerOf, versionTest } from "../../helpers/versions.ts";

async function setup(env: Record<string, string> = {}) {
  const rt = await testRuntime({ env: serverEnv(env) });
  // Profiles are an admin's to change: the calls sign in as the admin.
  const { admin: user } = await adminAndUser(rt);
  const call = (method: string, path: string, body?: unknown) =>
    rt.app.request(
      path,
      body === undefined ? { method, headers: user.headers } : json(method, body, user.headers),
    );
  return { rt, user, call, [Symbol.asyncDispose]: () => rt.close() };
}

const base = { name: "Qwen3 8B", model_path: "mlx-community/Qwen3-8B-4bit" };

Deno.test("POST /api/profiles creates a profile with every field and the server's defaults", async () => {
  await using ctx = await setup();
  const { call } = ctx;
  const port = freePort();
  const res = await call("POST", "/api/profiles", { ...base, port });
  assert.equal(res.status, 201);
  assert.match(res.headers.get("content-type")!, /application\/json/);
  const p = await res.json();
  assert.deepEqual(
    { ...p, id: undefined, created_at: undefined, updated_at: undefined },
    {
      id: undefined,
      name: "Qwen3 8B",
      description: null,
      model_path: "mlx-community/Qwen3-8B-4bit",
      model_type: "lm",
      port,
      host: "127.0.0.1",
      context_length: null,
      max_concurrency: 1,
      queue_timeout: 300,
      queue_size: 100,
      tool_call_parser: null,
      reasoning_parser: null,
      message_converter: null,
      enable_auto_tool_choice: false,
      trust_remote_code: false,
      chat_template_file: null,
      log_level: "INFO",
      auto_start: false,
      restart_on_crash: false,
      system_prompt: null,
      temperature: null,
      top_p: null,
      max_tokens: null,
      aliases: [],
      idle_timeout: null,
      keep_loaded: false,
      top_k: null,
      min_p: null,
      repetition_penalty: null,
      presence_penalty: null,
      seed: null,
      prompt_cache_size: null,
      prompt_cache_bytes: null,
      draft_model_path: null,
      num_draft_tokens: null,
      kv_bits: null,
      kv_group_size: null,
      quantized_kv_start: null,
      lora_paths: [],
      lora_scales: [],
      created_at: undefined,
      updated_at: undefined,
    },
  );
  assert.ok(Date.parse(p.created_at) > 0);
  const list = await (await call("GET", "/api/profiles")).json();
  assert.deepEqual(list.map((x: { id: number }) => x.id), [p.id]);
  const one = await call("GET", `/api/profiles/${p.id}`);
  assert.deepEqual(await one.json(), p);
});

Deno.test("profile validation refuses bad values with a message per field", async () => {
  await using ctx = await setup();
  const { call } = ctx;
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ port: 80 }, "port", /Port must be a whole number from 1024 to 65535/],
    [{ port: "10240" }, "port", /Port must be a whole number/],
    [{ host: "example.com" }, "host", /Host must be an IP address or localhost/],
    [{ model_path: "--trust-remote-code" }, "model_path", /Hugging Face repo id/],
    [{ model_path: "relative/../../x" }, "model_path", /Hugging Face repo id/],
    [{ model_path: "models/qwen" + "\n--port 1" }, "model_path", /Hugging Face repo id/],
    [{ model_type: "vlm" }, "model_type", /Model type must be one of: lm, multimodal/],
    [
      { tool_call_parser: "qwen3_next" },
      "tool_call_parser",
      /must be one of: functiongemma, .*\(mlx-openai-server 1\.5\.1\)/,
    ],
    [{ reasoning_parser: "nope" }, "reasoning_parser", /Reasoning parser must be one of/],
    [{ chat_template_file: "template.jinja" }, "chat_template_file", /absolute path/],
    [{ log_level: "verbose" }, "log_level", /Log level must be one of: DEBUG, INFO/],
    [{ max_concurrency: 0 }, "max_concurrency", /Max concurrency must be a whole number from 1/],
    [{ extra_args: "--debug" }, "body", /Unknown field: extra_args/],
    [{ name: "" }, "name", /Name is required/],
  ];
  for (const [change, field, message] of cases) {
    const res = await call("POST", "/api/profiles", { ...base, port: freePort(), ...change });
    assert.equal(res.status, 422, JSON.stringify(change));
    const body = await res.json();
    assert.match(body.fields[field], message, `${JSON.stringify(change)} → ${JSON.stringify(body)}`);
  }
  const missing = await (await call("POST", "/api/profiles", {})).json();
  assert.deepEqual(Object.keys(missing.fields).sort(), ["model_path", "name", "port"]);
  // Case does not matter for the log level; blank optional text means "not set".
  const ok = await call("POST", "/api/profiles", {
    ...base,
    port: freePort(),
    log_level: "debug",
    description: "  ",
    tool_call_parser: "",
    host: "::1",
  });
  assert.equal(ok.status, 201);
  const p = await ok.json();
  assert.equal(p.log_level, "DEBUG");
  assert.equal(p.description, null);
  assert.equal(p.tool_call_parser, null);
});

Deno.test("a duplicate name (any case) or port answers 409, on create and on update", async () => {
  await using ctx = await setup();
  const { call } = ctx;
  const port = freePort();
  const first = await (await call("POST", "/api/profiles", { ...base, port })).json();
  const dupName = await call("POST", "/api/profiles", { ...base, name: "QWEN3 8b", port: freePort() });
  assert.equal(dupName.status, 409);
  assert.deepEqual(await dupName.json(), {
    detail: "Profile name already exists",
    fields: { name: "Profile name already exists" },
    code: "conflict",
  });
  const dupPort = await call("POST", "/api/profiles", { ...base, name: "Other", port });
  assert.equal(dupPort.status, 409);
  assert.equal((await dupPort.json()).detail, "Port already in use by another profile");

  const second = await (await call("POST", "/api/profiles", { ...base, name: "Other", port: freePort() }))
    .json();
  assert.equal((await call("PUT", `/api/profiles/${second.id}`, { name: "qwen3 8B" })).status, 409);
  assert.equal((await call("PUT", `/api/profiles/${second.id}`, { port })).status, 409);
  // Renaming to its own name or port is fine.
  assert.equal((await call("PUT", `/api/profiles/${first.id}`, { name: "Qwen3 8B", port })).status, 200);
});

Deno.test("PUT /api/profiles/{id} applies only the fields sent; null clears an optional one and is refused for a required one", async () => {
  await using ctx = await setup();
  const { call } = ctx;
  const p = await (await call("POST", "/api/profiles", {
    ...base,
    port: freePort(),
    description: "Fast",
    system_prompt: "Be brief",
    tool_call_parser: "qwen3",
  })).json();
  const res = await call("PUT", `/api/profiles/${p.id}`, {
    description: null,
    tool_call_parser: null,
    queue_size: 50,
  });
  assert.equal(res.status, 200);
  const updated = await res.json();
  assert.equal(updated.description, null);
  assert.equal(updated.tool_call_parser, null);
  assert.equal(updated.queue_size, 50);
  assert.equal(updated.system_prompt, "Be brief");
  assert.equal(updated.name, p.name);
  assert.ok(updated.updated_at >= p.updated_at);

  const bad = await call("PUT", `/api/profiles/${p.id}`, { port: null });
  assert.equal(bad.status, 422);
  assert.match((await bad.json()).fields.port, /Port must be a whole number/);
  assert.equal((await call("PUT", "/api/profiles/999", { queue_size: 5 })).status, 404);
  assert.equal((await call("GET", "/api/profiles/abc")).status, 404);
});

Deno.test("GET /api/profiles/next-port skips ports of profiles and ports something listens on", async () => {
  const start = freePort();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: start + 1 });
  const { rt, call } = await setup({ MLX_MANAGER_DEFAULT_PORT_START: String(start) });
  try {
    assert.deepEqual(await (await call("GET", "/api/profiles/next-port")).json(), { port: start });
    await call("POST", "/api/profiles", { ...base, port: start });
    // start is a profile's, start + 1 is in use: the gap after them is offered.
    assert.deepEqual(await (await call("GET", "/api/profiles/next-port")).json(), { port: start + 2 });
  } finally {
    listener.close();
    await rt.close();
  }
});

Deno.test("POST /api/profiles/{id}/duplicate copies everything but the name, the port and auto_start", async () => {
  const start = freePort();
  await using ctx = await setup({ MLX_MANAGER_DEFAULT_PORT_START: String(start) });
  const { call } = ctx;
  const p = await (await call("POST", "/api/profiles", {
    ...base,
    port: start + 5,
    auto_start: true,
    restart_on_crash: true,
    reasoning_parser: "qwen3",
  })).json();
  const res = await call(
    "POST",
    `/api/profiles/${p.id}/duplicate?new_name=${encodeURIComponent("Qwen3 (copy)")}`,
  );
  assert.equal(res.status, 201);
  const copy = await res.json();
  assert.equal(copy.name, "Qwen3 (copy)");
  assert.equal(copy.port, start, "the next free port, as next-port gives it");
  assert.equal(copy.auto_start, false);
  assert.equal(copy.restart_on_crash, true);
  assert.equal(copy.reasoning_parser, "qwen3");
  assert.notEqual(copy.id, p.id);
  assert.equal((await call("POST", `/api/profiles/${p.id}/duplicate?new_name=Qwen3%20(copy)`)).status, 409);
  const missing = await call("POST", `/api/profiles/${p.id}/duplicate`);
  assert.equal(missing.status, 422);
  assert.match((await missing.json()).detail, /new_name is required/);
  assert.equal((await call("POST", "/api/profiles/999/duplicate?new_name=x")).status, 404);
});

Deno.test("DELETE /api/profiles/{id} stops its server first and removes its log", async () => {
  await using ctx = await setup();
  const { rt, call } = ctx;
  const p = await (await call("POST", "/api/profiles", {
    ...base,
    model_path: await modelDir(rt.dataDir),
    port: freePort(),
  })).json();
  const { pid } = await (await call("POST", `/api/servers/${p.id}/start?wait=true`)).json();
  assert.ok(alive(pid));
  const res = await call("DELETE", `/api/profiles/${p.id}`);
  assert.equal(res.status, 204);
  assert.equal(alive(pid), false);
  await assert.rejects(Deno.stat(`${rt.dataDir}/logs/server-${p.id}.log`), Deno.errors.NotFound);
  assert.equal((await call("GET", `/api/profiles/${p.id}`)).status, 404);
  assert.deepEqual(await (await call("GET", "/api/servers")).json(), []);
  assert.equal((await call("DELETE", `/api/profiles/${p.id}`)).status, 404);
});

Deno.test("profile changes are published as profiles.changed events", async () => {
  await using ctx = await setup();
  const { rt, call } = ctx;
  const seen: unknown[] = [];
  rt.deps.bus.subscribe((e) => e.type === "profiles.changed" && seen.push(e.data));
  const p = await (await call("POST", "/api/profiles", { ...base, port: freePort() })).json();
  await call("PUT", `/api/profiles/${p.id}`, { queue_size: 7 });
  await call("DELETE", `/api/profiles/${p.id}`);
  await waitFor(() => seen.length === 3, "three events");
  assert.deepEqual(seen, [{ id: p.id }, { id: p.id }, { id: p.id }]);
});

Deno.test("GET /api/system/parser-options lists the installed server's choices, or the 1.5.1 lists without it", async () => {
  const { rt, call } = await setup();
  try {
    const res = await call("GET", "/api/system/parser-options");
    assert.equal(res.status, 200);
    const options = await res.json();
    assert.equal(options.source, "installed");
    assert.equal(options.version, "1.5.1");
    assert.ok(options.tool_call_parsers.includes("qwen3_coder"));
    assert.ok(options.reasoning_parsers.includes("glm47_flash"));
    assert.deepEqual(options.message_converters, [...options.message_converters].sort());
    assert.equal(options.model_types[0], "lm");
  } finally {
    await rt.close();
  }
  const missing = await setup({ MLX_MANAGER_MLX_SERVER: "/nonexistent/mlx-openai-server" });
  try {
    const options = await (await missing.call("GET", "/api/system/parser-options")).json();
    assert.equal(options.source, "fallback");
    assert.equal(options.installed, false);
    assert.match(options.error, /pip install mlx-openai-server/);
    assert.ok(options.tool_call_parsers.includes("hermes"));
  } finally {
    await missing.rt.close();
  }
});

Deno.test("the profiles and servers APIs need a session", async () => {
  await using rt = await testRuntime();
  for (
    const path of ["/api/profiles", "/api/profiles/next-port", "/api/servers", "/api/system/parser-options"]
  ) {
    const res = await rt.app.request(path);
    assert.equal(res.status, 401, path);
    await res.body?.cancel();
  }
});

Deno.test("profile aliases are unique across every name and alias, ignoring case", async () => {
  await using ctx = await setup();
  const { call } = ctx;
  const first = await (await call("POST", "/api/profiles", {
    ...base,
    port: freePort(),
    aliases: ["qwen", "gpt-4o-mini"],
  })).json();
  assert.deepEqual(first.aliases, ["qwen", "gpt-4o-mini"]);

  const clashAlias = await call("POST", "/api/profiles", {
    ...base,
    name: "Other",
    port: freePort(),
    aliases: ["GPT-4o-Mini"],
  });
  assert.equal(clashAlias.status, 409);
  const body = await clashAlias.json();
  assert.match(body.detail, /"gpt-4o-mini" is already a name or alias of the profile "Qwen3 8B"/);
  assert.ok(body.fields.aliases);

  const nameIsAlias = await call("POST", "/api/profiles", { ...base, name: "QWEN", port: freePort() });
  assert.equal(nameIsAlias.status, 409);

  const aliasIsName = await call("POST", "/api/profiles", {
    ...base,
    name: "Other",
    port: freePort(),
    aliases: ["qwen3 8b"],
  });
  assert.equal(aliasIsName.status, 409);

  const twice = await call("PUT", `/api/profiles/${first.id}`, { aliases: ["a", "A"] });
  assert.equal(twice.status, 409);
  assert.match((await twice.json()).detail, /listed twice/);

  // The profile's own aliases do not clash with themselves on an edit.
  const same = await call("PUT", `/api/profiles/${first.id}`, { aliases: ["qwen", "coder"] });
  assert.equal(same.status, 200);
  assert.deepEqual((await same.json()).aliases, ["qwen", "coder"]);

  const bad = await call("PUT", `/api/profiles/${first.id}`, { aliases: "qwen" });
  assert.equal(bad.status, 422);

  const copy = await call("POST", `/api/profiles/${first.id}/duplicate?new_name=Copy`);
  assert.equal(copy.status, 201);
  assert.deepEqual((await copy.json()).aliases, []);
});

Deno.test("findProfileByModelName() finds a profile by its name or any alias, ignoring case", async () => {
  await using ctx = await setup();
  const { rt, call } = ctx;
  const { findProfileByModelName } = await import("../../../db/profiles.ts");
  const p = await (await call("POST", "/api/profiles", { ...base, port: freePort(), aliases: ["Coder"] }))
    .json();
  assert.equal(findProfileByModelName(rt.db, "qwen3 8B")?.id, p.id);
  assert.equal(findProfileByModelName(rt.db, " coder ")?.id, p.id);
  assert.equal(findProfileByModelName(rt.db, "code"), null);
});

Deno.test("idle_timeout and keep_loaded are saved and change while the server runs", async () => {
  await using ctx = await setup();
  const { rt, call } = ctx;
  const port = freePort();
  const p = await (await call("POST", "/api/profiles", {
    ...base,
    model_path: await modelDir(rt.dataDir),
    port,
    idle_timeout: 600,
  })).json();
  assert.equal(p.idle_timeout, 600);
  assert.equal(p.keep_loaded, false);
  const started = await call("POST", `/api/servers/${p.id}/start?wait=true`);
  assert.equal(started.status, 200, await started.text());
  const res = await call("PUT", `/api/profiles/${p.id}`, {
    idle_timeout: null,
    keep_loaded: true,
    aliases: ["x"],
  });
  assert.equal(res.status, 200);
  const changed = await res.json();
  assert.deepEqual([changed.idle_timeout, changed.keep_loaded, changed.aliases], [null, true, ["x"]]);
  const negative = await call("PUT", `/api/profiles/${p.id}`, { idle_timeout: -1 });
  assert.equal(negative.status, 422);
});

Deno.test("a new profile on a batching server (1.8) serves 4 requests at once where its type is batched, else 1", async () => {
  await using ctx = await setup({ MLX_MANAGER_MLX_SERVER: fakeServerOf("1.8.1") });
  const { call } = ctx;
  const lm = await (await call("POST", "/api/profiles", { ...base, port: freePort() })).json();
  assert.equal(lm.max_concurrency, 4);
  const embed = await call("POST", "/api/profiles", {
    name: "embed",
    model_path: "mlx-community/e5",
    model_type: "embeddings",
    port: freePort(),
  });
  assert.equal((await embed.json()).max_concurrency, 1);
  const options = await (await call("GET", "/api/system/parser-options")).json();
  assert.equal(options.features.concurrency, "batching");
  assert.equal(options.features.disableBatching, true);
  assert.ok(options.features.fields.includes("kv_bits"));
  // On 1.5.1 a new profile serves one request at a time, as that server's own default.
  await using old = await setup();
  assert.equal(
    (await (await old.call("POST", "/api/profiles", { ...base, port: freePort() })).json()).max_concurrency,
    1,
  );
});

versionTest(
  "a setting the installed server cannot honour is refused on save, with its version named",
  async (version) => {
    await using ctx = await setup({ MLX_MANAGER_MLX_SERVER: fakeServerOf(version) });
    const { call } = ctx;
    const save = (fields: Record<string, unknown>) =>
      call("POST", "/api/profiles", { ...base, name: crypto.randomUUID(), port: freePort(), ...fields });
    const refused = async (fields: Record<string, unknown>, field: string, message: RegExp) => {
      const res = await save(fields);
      assert.equal(res.status, 422, JSON.stringify(fields));
      const body = await res.json();
      // A choice the version lacks is refused by the schema, the rest by the server's mapping.
      if (field !== "message_converter") assert.equal(body.code, "unsupported_option");
      assert.match(body.fields[field], message);
    };
    // Sampling defaults 1.5.1 has no flag for still reach it, in each request.
    assert.equal((await save({ top_k: 40, min_p: 0.05, seed: 7, max_concurrency: 1 })).status, 201);
    if (version === "1.5.1") {
      await refused({ kv_bits: 4 }, "kv_bits", /mlx-openai-server 1\.5\.1 has no --kv-bits option/);
      await refused({ presence_penalty: 0.5 }, "presence_penalty", /1\.5\.1 has no --presence-penalty/);
      await refused(
        { draft_model_path: "mlx-community/Qwen3-0.6B-4bit" },
        "draft_model_path",
        /1\.5\.1 has no/,
      );
    } else {
      await refused({ seed: 7, max_concurrency: 4 }, "seed", /1\.8\.1 batches requests .* ignores seeds/);
      await refused({ message_converter: "glm4_moe" }, "message_converter", /no message converter option/);
      assert.equal((await save({ kv_bits: 4, max_concurrency: 1, prompt_cache_size: 20 })).status, 201);
    }
    await refused(
      { model_type: "embeddings", top_k: 40 },
      "top_k",
      /applies to lm and multimodal models only/,
    );
    await refused(
      { lora_scales: [1] },
      "lora_scales",
      /applies to image-generation and image-edit models only/,
    );
  },
);

Deno.test("a 1.8 profile keeps its prompt cache in its own folder of the data dir, emptied at each start and removed with the profile", async () => {
  await using ctx = await setup({ MLX_MANAGER_MLX_SERVER: fakeServerOf("1.8.1") });
  const { rt, call } = ctx;
  const created = await call("POST", "/api/profiles", {
    ...base,
    model_path: await modelDir(rt.dataDir),
    port: freePort(),
  });
  const p = await created.json();
  const dir = `${rt.dataDir}/prompt-cache/profile-${p.id}`;
  // Entries a crashed run left behind are never read again by the server.
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/stale.pkl`, "old");
  assert.equal((await call("POST", `/api/servers/${p.id}/start?wait=true`)).status, 200);
  const started = rt.deps.supervisor.logLines(p.id, 200).find((l) => l.includes("Starting: "))!;
  assert.ok(started.includes(`--prompt-cache-dir ${dir}`), started);
  assert.deepEqual([...Deno.readDirSync(dir)], [], "emptied for the new run");
  assert.equal((await call("DELETE", `/api/profiles/${p.id}`)).status, 204);
  await assert.rejects(Deno.stat(dir), Deno.errors.NotFound);
});
