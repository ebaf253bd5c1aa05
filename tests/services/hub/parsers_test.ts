import assert from "node:assert/strict";
import {
  allParsers,
  bestMatch,
  FALLBACK_PARSER_LISTS,
  partialRatio,
  suggestParsers,
} from "../../../services/hub/parsers.ts";

// The expected picks below are those for the lists of mlx-openai-server 1.5.0 (1.5.1 adds glm47_flash).
const L = {
  ...FALLBACK_PARSER_LISTS,
  reasoning_parsers: FALLBACK_PARSER_LISTS.reasoning_parsers.filter((p) => p !== "glm47_flash"),
};

Deno.test("bestMatch() picks the tool parser of each known model family", () => {
  const cases: [string, string | null][] = [
    ["Qwen3-8B-4bit", "qwen3"],
    ["Qwen3-Coder-32B", "qwen3_coder"],
    ["Qwen3-MoE-30B", "qwen3_moe"],
    ["MiniMax-M2.1-3bit", "minimax_m2"],
    ["GLM-4-9B", "glm4_moe"],
    ["Nemotron-3-8B", "nemotron3_nano"],
    ["Hermes-3-70B", "hermes"],
    ["Solar-10.7B", "solar_open"],
    ["Qwen3-30B-A3.3B-MoE-4bit", "qwen3_moe"],
    ["Llama-3.1-8B", null],
    ["Mistral-7B", null],
    ["Phi-3-mini", null],
  ];
  for (const [name, want] of cases) {
    assert.equal(bestMatch(name, L.tool_call_parsers, "tool_call_parser"), want, name);
  }
});

Deno.test("bestMatch() picks the reasoning parser of each known model family", () => {
  const cases: [string, string | null][] = [
    ["Qwen3-8B", "qwen3"],
    ["Qwen3-MoE", "qwen3_moe"],
    ["MiniMax-M2.1", "minimax_m2"],
    ["GLM-4-9B", "glm4_moe"],
    ["Hermes-3", "hermes"],
    ["Qwen3-Coder", null],
  ];
  for (const [name, want] of cases) {
    assert.equal(bestMatch(name, L.reasoning_parsers, "reasoning_parser"), want, name);
  }
});

Deno.test("bestMatch() picks message converters only on a real match", () => {
  const cases: [string, string | null][] = [
    ["Qwen3-Coder", "qwen3_coder"],
    ["MiniMax-M2.1", "minimax_m2"],
    ["MiniMax-M2-3bit", "minimax_m2"],
    ["MiniMax-Text-01", "minimax"],
    ["GLM-4-9B", null],
    ["Nemotron-3-8B", null],
    ["Qwen3-8B", null],
    ["Qwen3-MoE", null],
    ["Qwen3-VL", null],
    ["Hermes-3", null],
    ["Solar-10.7B", null],
    ["Llama-3.1-8B", null],
  ];
  for (const [name, want] of cases) {
    assert.equal(bestMatch(name, L.message_converters, "message_converter"), want, name);
  }
});

Deno.test("suggestParsers() returns only the kinds that matched, and uses the detected family", () => {
  assert.deepEqual(suggestParsers("mlx-community/Llama-3.2-3B-Instruct-4bit", L), {});
  assert.deepEqual(suggestParsers("mlx-community/Qwen3-8B-4bit", L), {
    tool_call_parser: "qwen3",
    reasoning_parser: "qwen3",
  });
  assert.deepEqual(suggestParsers("minimax/MiniMax-M2", L), {
    tool_call_parser: "minimax_m2",
    reasoning_parser: "minimax_m2",
    message_converter: "minimax_m2",
  });
  // The organisation does not count ("openai" is not the "open" variant); the family finds harmony.
  assert.deepEqual(suggestParsers("openai/gpt-oss-20b", L, "harmony"), {
    tool_call_parser: "harmony",
    reasoning_parser: "harmony",
  });
  // Lists from the installed server are used as given.
  assert.deepEqual(
    suggestParsers("x/Qwen3-8B", {
      tool_call_parsers: ["qwen3"],
      reasoning_parsers: [],
      message_converters: [],
    }),
    { tool_call_parser: "qwen3" },
  );
});

Deno.test("partialRatio() scores the best window like rapidfuzz", () => {
  assert.equal(partialRatio("qwen3-8b-4bit", "qwen3"), 100);
  assert.ok(Math.abs(partialRatio("qwen3-coder-32b", "qwen3_coder") - 90.909) < 0.01);
  assert.equal(partialRatio("", ""), 100);
  assert.ok(partialRatio("abc", "xyz") < 50);
});

Deno.test("allParsers() is the sorted union without duplicates", () => {
  const all = allParsers(L);
  assert.deepEqual(all, [...new Set(all)].sort());
  assert.ok(all.includes("minimax") && all.includes("functiongemma"));
  assert.deepEqual(allParsers({ tool_call_parsers: [], reasoning_parsers: [], message_converters: [] }), []);
});
