import assert from "node:assert/strict";
import { remoteBody } from "../../../services/gateway/open.ts";
import { readBody } from "../../../services/gateway/body.ts";

Deno.test("remoteBody() names the model as the upstream does in a JSON body, and keeps an unchanged body's bytes", async () => {
  const raw = '{"model":"studio/qwen","messages":[{"role":"user","content":"hé"}],"stream":true}';
  const parsed = await readBody(
    new Request("http://x/v1/chat/completions", {
      method: "POST",
      body: raw,
      headers: { "content-type": "application/json" },
    }),
    "/v1/chat/completions",
  );
  const renamed = await remoteBody(parsed, "qwen");
  assert.equal(renamed.contentType, "application/json");
  assert.deepEqual(JSON.parse(new TextDecoder().decode(renamed.body)), { ...JSON.parse(raw), model: "qwen" });
  const same = await remoteBody(parsed, "studio/qwen");
  assert.equal(same.body, parsed.raw, "the bytes as they came");
});

Deno.test("remoteBody() names the model in a multipart body and keeps the file", async () => {
  const form = new FormData();
  form.set("model", "studio/whisper");
  form.set("file", new File([new Uint8Array([0, 1, 2, 255])], "a.wav", { type: "audio/wav" }));
  const request = new Request("http://x/v1/audio/transcriptions", { method: "POST", body: form });
  const parsed = await readBody(request, "/v1/audio/transcriptions");
  const { body, contentType } = await remoteBody(parsed, "whisper");
  assert.match(contentType, /^multipart\/form-data; boundary=/);
  const back = await new Response(body as Uint8Array<ArrayBuffer>, {
    headers: { "content-type": contentType },
  })
    .formData();
  assert.equal(back.get("model"), "whisper");
  const file = back.get("file") as File;
  assert.equal(file.name, "a.wav");
  assert.deepEqual([...new Uint8Array(await file.arrayBuffer())], [0, 1, 2, 255]);
});
