import assert from "node:assert/strict";
import {
  filterOptions,
  formatCount,
  formatParams,
  matchesFilters,
  NO_FILTERS,
} from "../../lib/model_filters.ts";
import { extractCharacteristics } from "../../services/hub/detection.ts";
import { MODEL_CONFIGS } from "../fixtures/model_configs.ts";

const c = (id: string) => extractCharacteristics(MODEL_CONFIGS[id], [], id);
const qwen = c("mlx-community/Qwen3-8B-4bit");
const vl = c("mlx-community/Qwen3-VL-8B-Instruct-4bit");
const llama = c("mlx-community/Llama-3.2-3B-Instruct-8bit");

Deno.test("matchesFilters() combines family, bits and capability chips", () => {
  assert.ok(matchesFilters(qwen, NO_FILTERS));
  assert.ok(matchesFilters(qwen, { families: ["Qwen"], bits: [4], caps: ["tools", "text"] }));
  assert.equal(matchesFilters(llama, { families: ["Qwen"], bits: [], caps: [] }), false);
  assert.equal(matchesFilters(llama, { families: [], bits: [4], caps: [] }), false);
  assert.equal(matchesFilters(qwen, { families: [], bits: [], caps: ["vision"] }), false);
  assert.ok(matchesFilters(vl, { families: [], bits: [], caps: ["vision"] }));
  assert.equal(matchesFilters(vl, { families: [], bits: [], caps: ["text"] }), false);
  assert.equal(matchesFilters(llama, { families: [], bits: [], caps: ["tools"] }), false);
  // Unknown characteristics pass.
  assert.ok(matchesFilters(null, { families: ["Qwen"], bits: [4], caps: ["vision"] }));
});

Deno.test("filterOptions() offers the families and bit widths present", () => {
  assert.deepEqual(filterOptions([qwen, llama, vl, null]), { families: ["Llama", "Qwen"], bits: [4, 8] });
});

Deno.test("formatParams() and formatCount() read like people write them", () => {
  assert.equal(formatParams(8e9), "8B");
  assert.equal(formatParams(1.7e9), "1.7B");
  assert.equal(formatParams(135e6), "135M");
  assert.equal(formatParams(null), null);
  assert.equal(formatCount(999), "999");
  assert.equal(formatCount(15_234), "15.2K");
  assert.equal(formatCount(1_500_000), "1.5M");
});
