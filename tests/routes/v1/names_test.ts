import assert from "node:assert/strict";
import OpenAI from "openai";
import { startGateway } from "./setup.ts";
import { versionTest } from "../../helpers/versions.ts";

const hello = [{ role: "user" as const, content: "hi" }];

interface Entry {
  id: string;
  mlx_manager: { profile: string; alias_of: string | null; loaded: boolean; keep_loaded: boolean };
}

versionTest(
  "/v1 names: one model entry per name and alias; any of them, in any case, reaches the profile",
  async (version) => {
    await using gw = await startGateway({}, {}, version);
    const coder = await gw.profile({
      name: "qwen3-coder",
      aliases: ["coder", "org/Qwen3-Coder-30B"],
      keep_loaded: true,
    });
    await gw.profile({ name: "writer" });
    const { key } = await gw.key();
    const client = gw.client(key);

    const entries = (await client.models.list()).data as unknown as Entry[];
    assert.deepEqual(entries.map((e) => e.id), ["qwen3-coder", "coder", "org/Qwen3-Coder-30B", "writer"]);
    assert.deepEqual(entries.map((e) => e.mlx_manager.alias_of), [null, "qwen3-coder", "qwen3-coder", null]);
    assert.equal(entries[0].mlx_manager.keep_loaded, true);

    const slash = await client.models.retrieve("org/qwen3-coder-30b") as unknown as Entry;
    assert.equal(slash.mlx_manager.profile, "qwen3-coder");

    const answer = await client.chat.completions.create({ model: "CODER", messages: hello });
    assert.equal(answer.choices[0].message.content, "You said: hi");
    // 1.5.1 echoes the name the client used; 1.8 answers under the name it was started with.
    assert.equal(answer.model, version === "1.5.1" ? "CODER" : `profile-${coder.id}`);
    const sent = gw.rt.deps.supervisor.status(coder.id).served_model;
    assert.equal(sent, version === "1.5.1" ? null : `profile-${coder.id}`);
    const row = gw.rt.deps.activity.list({ id: gw.admin.id, isAdmin: true }, { limit: 1 }).data[0];
    assert.equal(row.profile_id, coder.id);
    assert.equal(row.model, "CODER");
    const loaded = (await client.models.list()).data as unknown as Entry[];
    assert.equal(loaded.find((e) => e.id === "coder")!.mlx_manager.loaded, true);
  },
);

Deno.test("/v1 names: a key listing an alias may use that profile by any name and sees only it", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "big", aliases: ["fast"] });
  await gw.profile({ name: "other" });
  const { key } = await gw.key({ models: ["FAST"] });
  const client = gw.client(key);
  assert.deepEqual((await client.models.list()).data.map((m) => m.id), ["big", "fast"]);
  assert.equal((await client.chat.completions.create({ model: "big", messages: hello })).choices.length, 1);
  await assert.rejects(
    client.chat.completions.create({ model: "other", messages: hello }),
    (e: unknown) => e instanceof OpenAI.PermissionDeniedError && e.code === "model_not_allowed",
  );
});
