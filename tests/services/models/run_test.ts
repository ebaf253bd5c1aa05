import assert from "node:assert/strict";
import { freeProfileName } from "../../../services/models/run.ts";
import type { Profile } from "../../../db/profiles.ts";

const named = (name: string, aliases: string[] = []) => ({ name, aliases }) as unknown as Profile;

Deno.test("freeProfileName() takes the model's name, numbered past names and aliases in use (ignoring case)", () => {
  assert.equal(freeProfileName("mlx-community/Qwen3-8B-4bit", []), "Qwen3-8B-4bit");
  assert.equal(freeProfileName("mlx-community/Qwen3-8B-4bit", [named("qwen3-8b-4BIT")]), "Qwen3-8B-4bit 2");
  assert.equal(
    freeProfileName("mlx-community/Qwen3-8B-4bit", [
      named("Qwen3-8B-4bit"),
      named("Other", ["Qwen3-8B-4bit 2"]),
    ]),
    "Qwen3-8B-4bit 3",
  );
});
