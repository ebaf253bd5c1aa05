import assert from "node:assert/strict";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { parseHTML } from "linkedom";
import { LocalModelPicker } from "../../components/models/LocalModelPicker.tsx";
import type { LocalModel } from "../../lib/model_types.ts";
import { extractCharacteristics } from "../../services/hub/detection.ts";
import { fitVerdict } from "../../services/hub/fit.ts";
import { MODEL_CONFIGS } from "../fixtures/model_configs.ts";

const ID = "mlx-community/Qwen3-8B-4bit";
const characteristics = extractCharacteristics(MODEL_CONFIGS[ID], [], ID);
const model: LocalModel = {
  model_id: ID,
  local_path: `/cache/models--mlx-community--Qwen3-8B-4bit/snapshots/${"a".repeat(40)}`,
  commit: "a".repeat(40),
  size_bytes: 4_600_000_000,
  size_gb: 4.28,
  weights_bytes: 4_500_000_000,
  characteristics,
  fit: fitVerdict(4.5e9, characteristics, 32 * 1024 ** 3),
  last_used_at: null,
  used_by: [],
  running: [],
  complete: true,
  download: null,
  create_profile_url: "/profiles/new?model_path=x",
};

function render(value: string, flagged = false) {
  const html = renderToString(h(LocalModelPicker, { value, onInput: () => {}, models: [model], flagged }));
  return parseHTML(`<!DOCTYPE html><html><body>${html}</body></html>`).document;
}

Deno.test("LocalModelPicker offers the local models and describes the chosen one", () => {
  const doc = render(ID);
  const input = doc.querySelector("input")!;
  assert.equal(input.getAttribute("list"), "field-model_path-options");
  assert.deepEqual([...doc.querySelectorAll("datalist option")].map((o) => o.getAttribute("value")), [ID]);
  assert.match(doc.body.textContent!, /Downloaded · 4\.3 GB/);
  assert.equal(doc.querySelector("[data-testid=badge-family]")?.textContent, "Qwen");
});

Deno.test("LocalModelPicker says when a repository id is not downloaded yet", () => {
  assert.match(render("mlx-community/Other-4bit").body.textContent!, /Not downloaded yet/);
  // An absolute folder is the user's own model: no hint.
  assert.doesNotMatch(render("/Users/me/models/x").body.textContent!, /Not downloaded/);
  // The form's own flag says it, with a Download button: the hint does not repeat it.
  assert.doesNotMatch(render("mlx-community/Other-4bit", true).body.textContent!, /Not downloaded/);
});
