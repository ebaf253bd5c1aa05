import assert from "node:assert/strict";
import { optionLabel } from "../../../components/chat/ServerPicker.tsx";

Deno.test("optionLabel() names the model only when the profile's name does not already say it", () => {
  assert.equal(
    optionLabel({ name: "Qwen3-0.6B-4bit", model: "mlx-community/Qwen3-0.6B-4bit" }),
    "Qwen3-0.6B-4bit",
  );
  assert.equal(
    optionLabel({ name: "qwen3-0.6b-4bit", model: "mlx-community/Qwen3-0.6B-4bit" }),
    "qwen3-0.6b-4bit",
  );
  assert.equal(
    optionLabel({ name: "Coder", model: "mlx-community/Qwen3-0.6B-4bit" }),
    "Coder — Qwen3-0.6B-4bit",
  );
  assert.equal(optionLabel({ name: "Local", model: "/models/llama" }), "Local — llama");
});
