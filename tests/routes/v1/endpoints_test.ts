import assert from "node:assert/strict";
import OpenAI, { toFile } from "openai";
import { startGateway } from "./setup.ts";
import { versionTest } from "../../helpers/versions.ts";

// 1.8 answers only to the name each server was started under, JSON and multipart bodies alike.
versionTest(
  "/v1 embeddings, audio and image routes reach the profile whose type serves them",
  async (version) => {
    await using gw = await startGateway({}, {}, version);
    await gw.profile({ name: "embed", model_type: "embeddings" });
    await gw.profile({ name: "whisper", model_type: "whisper" });
    await gw.profile({ name: "draw", model_type: "image-generation" });
    await gw.profile({ name: "edit", model_type: "image-edit" });
    const { key } = await gw.key();
    const client = gw.client(key);

    // The client asks for base64 by default and decodes it back to floats.
    const embedding = await client.embeddings.create({ model: "embed", input: ["hello", "world"] });
    assert.equal(embedding.data.length, 2);
    assert.equal(embedding.data[0].embedding.length, 8);
    assert.ok(embedding.data[0].embedding.every((x) => typeof x === "number" && x >= 0 && x < 1));

    const audio = await client.audio.transcriptions.create({
      model: "whisper",
      file: await toFile(new Uint8Array(1234), "clip.wav", { type: "audio/wav" }),
    });
    assert.equal(audio.text, "Transcribed 1234 bytes", "the multipart body was forwarded whole");

    const image = await client.images.generate({ model: "draw", prompt: "a cat" });
    assert.equal(atob(image.data![0].b64_json!), "a cat");

    const edited = await client.images.edit({
      model: "edit",
      prompt: "a hat",
      image: await toFile(new Uint8Array([137, 80, 78, 71]), "cat.png", { type: "image/png" }),
    });
    assert.equal(atob(edited.data![0].b64_json!), "a hat");

    await assert.rejects(
      client.audio.transcriptions.create({
        model: "embed",
        file: await toFile(new Uint8Array(10), "clip.wav"),
      }),
      (e: unknown) => e instanceof OpenAI.BadRequestError && e.code === "model_type_mismatch",
    );
    const rows = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 10 }).data;
    assert.deepEqual(
      rows.map((r) => [r.endpoint, r.status]).reverse(),
      [
        ["/v1/embeddings", 200],
        ["/v1/audio/transcriptions", 200],
        ["/v1/images/generations", 200],
        ["/v1/images/edits", 200],
        ["/v1/audio/transcriptions", 400],
      ],
    );
  },
);
