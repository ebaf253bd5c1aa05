import assert from "node:assert/strict";
import {
  acceptedFiles,
  fromStoredList,
  isTextFile,
  metricsLine,
  readAttachment,
} from "../../../lib/chat/client.ts";

Deno.test("metricsLine shows time to first token, speed and token counts", () => {
  assert.equal(
    metricsLine({
      ttft_ms: 120,
      tokens_per_second: 45.23,
      prompt_tokens: 14,
      completion_tokens: 87,
      total_tokens: 101,
      duration_ms: 2000,
    }),
    "TTFT 120 ms · 45.2 tok/s · 14 in · 87 out",
  );
  assert.equal(
    metricsLine({
      ttft_ms: 2500,
      tokens_per_second: null,
      prompt_tokens: null,
      completion_tokens: 3,
      total_tokens: null,
      duration_ms: 2600,
      estimated: true,
    }),
    "TTFT 2.5 s · ~3 out",
  );
});

Deno.test("text files are recognised by extension or well-known name", () => {
  for (const name of ["notes.txt", "main.PY", "config.yaml", "README", "Dockerfile", ".gitignore"]) {
    assert.ok(isTextFile(name), name);
  }
  for (const name of ["photo.png", "archive.zip", "txt", "model.safetensors"]) {
    assert.ok(!isTextFile(name), name);
  }
  assert.match(acceptedFiles(true), /^image\/png,image\/jpeg,image\/gif,image\/webp,\.txt/);
  assert.doesNotMatch(acceptedFiles(false), /image/);
});

Deno.test("readAttachment reads text and images and explains what it refuses", async () => {
  const text = await readAttachment(new File(["hello"], "a.md", { type: "text/markdown" }), false);
  assert.deepEqual(text, { kind: "text", name: "a.md", mime: "text/markdown", data: "hello" });
  const png = new File([new Uint8Array([137, 80, 78, 71])], "p.png", { type: "image/png" });
  assert.deepEqual(await readAttachment(png, true), {
    kind: "image",
    name: "p.png",
    mime: "image/png",
    data: "data:image/png;base64,iVBORw==",
  });
  assert.equal(
    await readAttachment(png, false),
    "p.png: this model reads text only; pick a multimodal profile to send images",
  );
  assert.equal(
    await readAttachment(new File(["x"], "a.zip", { type: "application/zip" }), true),
    "a.zip: unsupported file type; attach text files or images",
  );
  assert.equal(
    await readAttachment(new File([new Uint8Array(600 * 1024)], "big.log"), false),
    "big.log is too large: attach text files under 512 KB",
  );
});

Deno.test("fromStoredList() marks a saved answer whose tool calls have no result as not run, and no other", () => {
  const base = {
    content: "",
    reasoning: null,
    reasoning_duration: null,
    tool_call_id: null,
    name: null,
    attachments: null,
    metrics: null,
    error: null,
    profile_id: 1,
    model: "m",
    created_at: "2025-01-01T00:00:00Z",
  };
  const call = (id: string, name: string) => ({
    index: 0,
    id,
    type: "function" as const,
    function: { name, arguments: "{}" },
  });
  const list = fromStoredList([
    { ...base, id: 1, position: 0, role: "user", content: "hi", tool_calls: null },
    { ...base, id: 2, position: 1, role: "assistant", tool_calls: [call("a", "calculate")] },
    { ...base, id: 3, position: 2, role: "tool", tool_call_id: "a", name: "calculate", tool_calls: null },
    { ...base, id: 4, position: 3, role: "assistant", tool_calls: [call("b", "get_weather")] },
  ]);
  assert.deepEqual(list.map((m) => m.not_run), [null, null, null, {
    reason: "stored",
    names: ["get_weather"],
  }]);
});
