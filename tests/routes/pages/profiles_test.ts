import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { testRuntime } from "../../helpers/runtime.ts";
import { createUser } from "../../helpers/auth.ts";
import { createProfile, serverEnv } from "../../helpers/servers.ts";
import { nameFromModel, newProfileValues, profileValues } from "../../../routes/pages/profile_values.ts";
import { parserOptions } from "../../../services/supervisor/server_info.ts";
import { PROFILE_DEFAULTS } from "../../../lib/profile_fields.ts";

const options = parserOptions({
  installed: false,
  executable: null,
  version: null,
  options: {},
  error: "missing",
});

Deno.test("a link prefills the new-profile form, keeping only choices the installed server has", () => {
  const query = new URLSearchParams({
    model_path: "mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit",
    model_type: "multimodal",
    tool_call_parser: "qwen3_coder",
    reasoning_parser: "made_up",
    message_converter: "qwen3_coder",
  });
  const { values, notices } = newProfileValues(query, options, 10241);
  assert.equal(values.name, "Qwen3-Coder-30B-A3B-Instruct-4bit");
  assert.equal(values.model_path, "mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit");
  assert.equal(values.model_type, "multimodal");
  assert.equal(values.port, "10241");
  assert.equal(values.tool_call_parser, "qwen3_coder");
  assert.equal(values.message_converter, "qwen3_coder");
  assert.equal(values.reasoning_parser, "");
  assert.deepEqual(notices, [
    'The installed mlx-openai-server has no reasoning parser "made_up": choose another one under Advanced',
  ]);
  assert.equal(values.max_concurrency, "1");
  assert.equal(values.log_level, "INFO");

  const named = newProfileValues(
    new URLSearchParams({ model: "/Users/ada/models/llama/", name: "Mine" }),
    options,
    null,
  );
  assert.equal(named.values.name, "Mine");
  assert.equal(named.values.model_path, "/Users/ada/models/llama/");
  assert.equal(named.values.port, "");
  assert.equal(nameFromModel("/Users/ada/models/llama/"), "llama");
});

Deno.test("the profile pages render the list, a prefilled new form and an edit form; an unknown id is a 404 page", async () => {
  const rt = await testRuntime({ env: serverEnv() });
  try {
    const user = await createUser(rt, { admin: true });
    const profile = await createProfile(rt, user, {
      name: "Coder",
      model_path: "mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit",
      description: "For code",
    });
    const page = async (path: string) => {
      const res = await rt.app.request(path, { headers: user.headers });
      return { status: res.status, doc: new DOMParser().parseFromString(await res.text(), "text/html") };
    };

    const list = await page("/profiles");
    assert.equal(list.status, 200);
    const card = list.doc.querySelector("[data-testid=profile-card]")!;
    assert.equal(card.getAttribute("data-name"), "Coder");
    assert.match(card.textContent!, /For code/);
    assert.equal(card.querySelector("[data-testid=server-state]")!.getAttribute("data-state"), "stopped");

    const form = await page("/profiles/new?model_path=mlx-community%2FQwen3-8B-4bit&tool_call_parser=qwen3");
    assert.equal(form.status, 200);
    const input = (id: string) => form.doc.querySelector(`#field-${id}`) as unknown as { value: string };
    assert.equal(input("model_path").value, "mlx-community/Qwen3-8B-4bit");
    assert.equal(input("name").value, "Qwen3-8B-4bit");
    assert.match(input("port").value, /^\d+$/);
    assert.notEqual(Number(input("port").value), profile.port, "the next port skips ports of profiles");
    assert.ok(
      form.doc.querySelector("#field-tool_call_parser option[value=qwen3_coder]"),
      "parsers of the server",
    );

    const edit = await page(`/profiles/${profile.id}`);
    assert.equal(edit.status, 200);
    assert.equal(edit.doc.querySelector("h1")!.textContent, "Edit Coder");
    assert.equal(
      (edit.doc.querySelector("#field-description") as unknown as { value: string }).value,
      "For code",
    );

    const missing = await page("/profiles/999");
    assert.equal(missing.status, 404);
    assert.match(missing.doc.body.textContent!, /Profile not found/);
  } finally {
    await rt.close();
  }
});

Deno.test("profileValues turns a stored profile into form text, empty for unset fields", () => {
  const values = profileValues({
    ...PROFILE_DEFAULTS,
    id: 1,
    name: "x",
    description: null,
    model_path: "m/x",
    model_type: "lm",
    port: 10240,
    host: "127.0.0.1",
    context_length: 8192,
    max_concurrency: 1,
    queue_timeout: 300,
    queue_size: 100,
    tool_call_parser: null,
    reasoning_parser: "qwen3",
    message_converter: null,
    enable_auto_tool_choice: true,
    trust_remote_code: false,
    chat_template_file: null,
    log_level: "INFO",
    auto_start: false,
    restart_on_crash: true,
    system_prompt: null,
    temperature: 0.7,
    top_p: null,
    max_tokens: null,
    aliases: ["a", "b"],
    idle_timeout: null,
    keep_loaded: true,
    created_at: "",
    updated_at: "",
  });
  assert.equal(values.description, "");
  assert.equal(values.aliases, "a, b");
  assert.equal(values.idle_timeout, "");
  assert.equal(values.temperature, "0.7");
  assert.equal(values.top_p, "");
  assert.equal(values.keep_loaded, true);
  assert.equal(values.context_length, "8192");
  assert.equal(values.reasoning_parser, "qwen3");
  assert.equal(values.enable_auto_tool_choice, true);
});
