import assert from "node:assert/strict";
import { snippets } from "../../lib/gateway_snippets.ts";

Deno.test("snippets() fills the base URL, key and model into every example", () => {
  const all = snippets("http://127.0.0.1:8080/v1", "mlxm_KEY", "qwen3");
  assert.deepEqual(all.map((s) => s.id), ["curl", "python", "typescript", "open-webui", "continue"]);
  for (const s of all) {
    assert.ok(s.text.includes("http://127.0.0.1:8080/v1"), s.id);
    assert.ok(s.text.includes("mlxm_KEY"), s.id);
  }
  assert.ok(all[0].text.startsWith("curl http://127.0.0.1:8080/v1/chat/completions"));
  assert.ok(all[2].text.startsWith('import OpenAI from "openai";'));
});

Deno.test("snippets() quotes a model name with an apostrophe safely for the shell", async () => {
  const [curl] = snippets("http://x/v1", "k", "it's");
  const payload = curl.text.split("-d ")[1];
  const echoed = await new Deno.Command("sh", { args: ["-c", `printf %s ${payload}`] }).output();
  assert.equal(JSON.parse(new TextDecoder().decode(echoed.stdout)).model, "it's");
});
