import assert from "node:assert/strict";
import {
  detectModelFamily,
  detectMultimodal,
  detectToolUse,
  extractCharacteristics,
  normalizeArchitecture,
} from "../../../services/hub/detection.ts";
import { guessCharacteristics } from "../../../services/hub/guess.ts";
import { bitsFromName, parametersFromName } from "../../../services/hub/names.ts";
import { MODEL_CONFIGS } from "../../fixtures/model_configs.ts";

function detect(id: string, tags: string[] = []) {
  return extractCharacteristics(MODEL_CONFIGS[id], tags, id);
}

Deno.test("extractCharacteristics() reads a Qwen3 dense config completely", () => {
  const c = detect("mlx-community/Qwen3-8B-4bit");
  assert.equal(c.model_type, "qwen3");
  assert.equal(c.architecture_family, "Qwen");
  assert.equal(c.model_family, "qwen3");
  assert.equal(c.is_multimodal, false);
  assert.equal(c.multimodal_type, null);
  assert.equal(c.is_tool_use, true);
  assert.equal(c.use_cache, true);
  assert.equal(c.quantization_bits, 4);
  assert.equal(c.quantization_group_size, 64);
  assert.equal(c.max_position_embeddings, 40960);
  assert.equal(c.num_hidden_layers, 36);
  assert.equal(c.hidden_size, 4096);
  assert.equal(c.vocab_size, 151936);
  assert.equal(c.num_attention_heads, 32);
  assert.equal(c.num_key_value_heads, 8);
  assert.equal(c.head_dim, 128);
  assert.equal(c.parameter_count, 8e9);
  assert.equal(c.source, "config");
});

Deno.test("extractCharacteristics() tells each known family apart", () => {
  const expected: [string, string, string | null, boolean, boolean, number | undefined][] = [
    // id, architecture, parser family, multimodal, tool use, bits
    ["mlx-community/Qwen3-30B-A3B-4bit", "Qwen", "qwen3_moe", false, true, 4],
    ["mlx-community/Qwen3-VL-8B-Instruct-4bit", "Qwen", "qwen3_vl", true, true, 4],
    ["mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit", "Qwen", "qwen3_moe", false, true, 4],
    ["mlx-community/GLM-4.5-Air-4bit", "GLM", "glm", false, true, 4],
    ["mlx-community/MiniMax-M2-3bit", "MiniMax", "minimax", false, true, 3],
    ["mlx-community/NVIDIA-Nemotron-Nano-9B-v2-4bit", "Nemotron", "nemotron", false, false, 4],
    ["mlx-community/gpt-oss-20b-MXFP4-Q8", "GPT-OSS", "harmony", false, false, 4],
    ["mlx-community/Hermes-3-Llama-3.1-8B-4bit", "Llama", "hermes", false, false, 4],
    ["mlx-community/SOLAR-10.7B-Instruct-v1.0-4bit", "Llama", "solar", false, false, 4],
    ["mlx-community/Llama-3.2-3B-Instruct-8bit", "Llama", null, false, false, 8],
    ["mlx-community/gemma-3-4b-it-bf16", "Gemma", null, true, false, 16],
    ["mlx-community/DeepSeek-V3-0324-4bit", "DeepSeek", null, false, true, 4],
  ];
  for (const [id, arch, family, multimodal, tools, bits] of expected) {
    const c = detect(id);
    assert.deepEqual(
      [c.architecture_family, c.model_family, c.is_multimodal, c.is_tool_use, c.quantization_bits],
      [arch, family, multimodal, tools, bits],
      id,
    );
  }
});

Deno.test("extractCharacteristics() reads a vision model's numbers from its text_config", () => {
  const c = detect("mlx-community/Qwen3-VL-8B-Instruct-4bit");
  assert.equal(c.multimodal_type, "vision");
  assert.equal(c.num_hidden_layers, 36);
  assert.equal(c.max_position_embeddings, 262144);
  assert.equal(c.num_key_value_heads, 8);
  const gemma = detect("mlx-community/gemma-3-4b-it-bf16");
  assert.equal(gemma.head_dim, 256);
  assert.equal(gemma.num_hidden_layers, 34);
});

Deno.test("extractCharacteristics() of an empty config is Unknown with defaults", () => {
  const c = extractCharacteristics({});
  assert.equal(c.model_type, "");
  assert.equal(c.architecture_family, "Unknown");
  assert.equal(c.is_tool_use, false);
  assert.equal(c.use_cache, true);
  assert.equal(c.quantization_bits, undefined);
  assert.equal(c.max_position_embeddings, undefined);
});

Deno.test("extractCharacteristics() keeps group_size without bits and ignores a non-object quantization", () => {
  assert.equal(extractCharacteristics({ quantization: { group_size: 32 } }).quantization_group_size, 32);
  assert.equal(extractCharacteristics({ quantization: { group_size: 32 } }).quantization_bits, undefined);
  assert.equal(extractCharacteristics({ quantization: "4bit" }).quantization_bits, undefined);
  assert.equal(extractCharacteristics({ quantization_config: { bits: 8 } }).quantization_bits, 8);
});

Deno.test("detectToolUse() counts tags, tool families and a tool_call_parser key", () => {
  assert.equal(detectToolUse({ model_type: "llama" }, ["function-calling"]), true);
  assert.equal(detectToolUse({ model_type: "llama" }, ["Tool-Use"]), true);
  assert.equal(detectToolUse({ model_type: "llama" }), false);
  assert.equal(detectToolUse({ model_type: "mistral" }), true);
  assert.equal(detectToolUse({ model_type: "cohere2" }), true);
  assert.equal(detectToolUse({ tool_call_parser: "hermes" }), true);
  assert.equal(detect("mlx-community/Hermes-3-Llama-3.1-8B-4bit", ["tools"]).is_tool_use, true);
});

Deno.test("detectMultimodal() recognises vision keys, model types and architectures", () => {
  assert.deepEqual(detectMultimodal({ vision_config: {} }), [true, "vision"]);
  assert.deepEqual(detectMultimodal({ image_token_id: 1 }), [true, "vision"]);
  assert.deepEqual(detectMultimodal({ video_token_id: 1 }), [true, "vision"]);
  assert.deepEqual(detectMultimodal({ model_type: "qwen2_vl" }), [true, "vision"]);
  assert.deepEqual(detectMultimodal({ architectures: ["FooMultimodalModel"] }), [true, "vision"]);
  assert.deepEqual(detectMultimodal({ model_type: "llama" }), [false, null]);
});

Deno.test("normalizeArchitecture() maps model types and architectures to their family names", () => {
  assert.equal(normalizeArchitecture({ model_type: "qwen2" }), "Qwen");
  assert.equal(normalizeArchitecture({ model_type: "gemma2" }), "Gemma");
  assert.equal(normalizeArchitecture({ model_type: "phi3" }), "Phi");
  assert.equal(normalizeArchitecture({ model_type: "qwen2_vl" }), "Qwen");
  assert.equal(normalizeArchitecture({ architectures: ["DeepseekV3ForCausalLM"] }), "DeepSeek");
  assert.equal(normalizeArchitecture({ model_type: "totally_new_model" }), "Unknown");
});

Deno.test("detectModelFamily() falls back from the config to the id", () => {
  assert.equal(detectModelFamily({ model_type: "minimax" }, "x/y"), "minimax");
  assert.equal(detectModelFamily({ architectures: ["Glm4ForCausalLM"] }, "x/y"), "glm");
  assert.equal(detectModelFamily(null, "mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit"), "qwen3_coder");
  assert.equal(detectModelFamily(null, "mlx-community/MiniMax-M2.1-3bit"), "minimax");
  assert.equal(detectModelFamily(null, "openai/gpt-oss-120b"), "harmony");
  assert.equal(detectModelFamily(null, "mlx-community/Mistral-7B-Instruct-v0.3-4bit"), null);
});

Deno.test("name helpers read parameters and bits", () => {
  assert.equal(parametersFromName("mlx-community/Qwen3-30B-A3B-4bit"), 30e9);
  assert.equal(parametersFromName("mlx-community/SmolLM-135M-Instruct-4bit"), 135e6);
  assert.equal(parametersFromName("mlx-community/Qwen3-1.7B-4bit"), 1.7e9);
  assert.equal(parametersFromName("mlx-community/gpt-oss-20b-MXFP4-Q8"), 20e9);
  assert.equal(parametersFromName("mlx-community/Mistral-Nemo-Instruct"), null);
  assert.equal(bitsFromName("x/Model-8bit"), 8);
  assert.equal(bitsFromName("x/Model-bf16"), 16);
  assert.equal(bitsFromName("x/Model"), null);
});

Deno.test("guessCharacteristics() guesses from the name, tags and the hub's partial config", () => {
  const c = guessCharacteristics("mlx-community/Qwen2.5-VL-7B-Instruct-8bit", ["mlx"]);
  assert.equal(c.source, "name");
  assert.equal(c.architecture_family, "Qwen");
  assert.equal(c.quantization_bits, 8);
  assert.equal(c.is_multimodal, true);
  const hub = guessCharacteristics("org/Thing-3B", ["mlx"], {
    model_type: "llama",
    architectures: ["LlamaForCausalLM"],
  });
  assert.equal(hub.architecture_family, "Llama");
  assert.equal(hub.parameter_count, 3e9);
});
