/**
 * Model detection from `config.json`, tags and the repository name: the
 * architecture family, quantization, multimodality, tool use, the parser
 * family and the parameter count. Pure functions, no I/O.
 *
 * Numeric fields also come from a nested `text_config` (vision-language
 * models keep them there), `quantization_config` is read when `quantization`
 * is absent, and gpt-oss models map to the `harmony` family.
 *
 * @module
 */
import type { ModelCharacteristics } from "../../lib/model_types.ts";
import { parametersFromName } from "./names.ts";

/** A parsed `config.json`. */
export type ModelConfig = Record<string, unknown>;

/** Architecture keys and the family each maps to, in the order they are tried. */
export const ARCHITECTURES: readonly [string, string][] = [
  ["llama", "Llama"],
  ["mllama", "Llama"],
  ["qwen", "Qwen"],
  ["qwen2", "Qwen"],
  ["qwen3", "Qwen"],
  ["mistral", "Mistral"],
  ["mixtral", "Mixtral"],
  ["gemma", "Gemma"],
  ["gemma2", "Gemma"],
  ["phi", "Phi"],
  ["phi3", "Phi"],
  ["starcoder", "StarCoder"],
  ["starcoder2", "StarCoder"],
  ["deepseek", "DeepSeek"],
  ["deepseek_v3", "DeepSeek"],
  ["glm", "GLM"],
  ["chatglm", "GLM"],
  ["minimax", "MiniMax"],
  ["falcon", "Falcon"],
  ["yi", "Yi"],
  ["internlm", "InternLM"],
  ["internlm2", "InternLM"],
  ["baichuan", "Baichuan"],
  ["cohere", "Cohere"],
  ["command", "Cohere"],
  ["olmo", "OLMo"],
  ["nemotron", "Nemotron"],
  ["granite", "Granite"],
  // OpenAI's open-weight models.
  ["gpt_oss", "GPT-OSS"],
  ["gptoss", "GPT-OSS"],
];

/** Families taken as tool-capable from `model_type` alone. */
const TOOL_FAMILIES = [
  "qwen",
  "qwen2",
  "qwen3",
  "glm",
  "chatglm",
  "minimax",
  "deepseek",
  "deepseek_v3",
  "hermes",
  "command",
  "cohere",
  "mistral",
];

const TOOL_TAGS = ["tool-use", "tool_use", "function-calling", "function_calling", "tool-calling", "tools"];

const NUMERIC_FIELDS = [
  "max_position_embeddings",
  "num_hidden_layers",
  "hidden_size",
  "vocab_size",
  "num_attention_heads",
  "num_key_value_heads",
  "head_dim",
] as const;

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function architectures(config: ModelConfig): string[] {
  return Array.isArray(config.architectures) ? config.architectures.filter((a) => typeof a === "string") : [];
}

function familyOf(text: string): string | null {
  const t = text.toLowerCase();
  if (t.includes("qwen")) {
    if (t.includes("coder")) return "qwen3_coder";
    if (t.includes("moe")) return "qwen3_moe";
    if (t.includes("vl")) return "qwen3_vl";
    return "qwen3";
  }
  if (t.includes("glm")) return "glm";
  if (t.includes("minimax")) return "minimax";
  if (t.includes("nemotron")) return "nemotron";
  // gpt-oss speaks the Harmony format, though its names do not say "harmony".
  if (t.includes("harmony") || t.includes("gpt-oss") || t.includes("gpt_oss")) return "harmony";
  if (t.includes("hermes")) return "hermes";
  if (t.includes("solar")) return "solar";
  return null;
}

/**
 * The parser family of a model: tested on `model_type`, then each architecture,
 * then the model id or path itself.
 *
 * @example
 * ```ts
 * detectModelFamily({ model_type: "qwen3_moe" }, "mlx-community/x"); // "qwen3_moe"
 * detectModelFamily(null, "mlx-community/Hermes-3-Llama-3.1-8B-4bit"); // "hermes"
 * ```
 */
export function detectModelFamily(config: ModelConfig | null, modelId: string): string | null {
  const texts = config ? [str(config.model_type), ...architectures(config)] : [];
  for (const text of [...texts, modelId]) {
    const family = text ? familyOf(text) : null;
    if (family) return family;
  }
  return null;
}

/**
 * The architecture family ("Qwen", "Llama"…) from `model_type`, else the first architecture, else "Unknown".
 *
 * @example
 * ```ts
 * normalizeArchitecture({ model_type: "qwen2_vl" }); // "Qwen"
 * normalizeArchitecture({ architectures: ["DeepseekV3ForCausalLM"] }); // "DeepSeek"
 * ```
 */
export function normalizeArchitecture(config: ModelConfig): string {
  const modelType = str(config.model_type).toLowerCase();
  if (modelType) {
    const exact = ARCHITECTURES.find(([key]) => key === modelType);
    if (exact) return exact[1];
    const partial = ARCHITECTURES.find(([key]) => modelType.includes(key));
    if (partial) return partial[1];
  }
  const arch = (architectures(config)[0] ?? "").toLowerCase();
  if (arch) {
    const match = ARCHITECTURES.find(([key]) => arch.includes(key));
    if (match) return match[1];
  }
  return "Unknown";
}

/**
 * Whether a model takes images: `[true, "vision"]` or `[false, null]`.
 *
 * @example
 * ```ts
 * detectMultimodal({ vision_config: {} }); // [true, "vision"]
 * ```
 */
export function detectMultimodal(config: ModelConfig): [boolean, string | null] {
  if ("vision_config" in config || "image_token_id" in config || "video_token_id" in config) {
    return [true, "vision"];
  }
  const words = ["vl", "vision", "multimodal"];
  const modelType = str(config.model_type).toLowerCase();
  if (words.some((w) => modelType.includes(w))) return [true, "vision"];
  if (architectures(config).some((a) => words.some((w) => a.toLowerCase().includes(w)))) {
    return [true, "vision"];
  }
  return [false, null];
}

/**
 * Whether a model calls tools: from its tags, its family, or a `tool_call_parser` key.
 *
 * @example
 * ```ts
 * detectToolUse({ model_type: "llama" }, ["function-calling"]); // true
 * ```
 */
export function detectToolUse(config: ModelConfig, tags: readonly string[] = []): boolean {
  if (tags.some((tag) => TOOL_TAGS.some((t) => tag.toLowerCase().includes(t)))) return true;
  const modelType = str(config.model_type).toLowerCase();
  if (modelType && TOOL_FAMILIES.some((f) => modelType === f || modelType.includes(f))) return true;
  return "tool_call_parser" in config;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

function quantization(config: ModelConfig): { bits?: number; group_size?: number } {
  for (const key of ["quantization", "quantization_config"]) {
    const q = config[key];
    if (q && typeof q === "object" && !Array.isArray(q)) {
      const { bits, group_size } = q as Record<string, unknown>;
      if (positiveInt(bits) || positiveInt(group_size)) {
        return { bits: positiveInt(bits), group_size: positiveInt(group_size) };
      }
    }
  }
  return {};
}

/**
 * Every characteristic the UI shows, from a `config.json`, the hub tags and the id.
 *
 * @example
 * ```ts
 * const c = extractCharacteristics(JSON.parse(configText), ["mlx"], "mlx-community/Qwen3-8B-4bit");
 * c.architecture_family; // "Qwen"
 * c.quantization_bits; // 4
 * ```
 */
export function extractCharacteristics(
  config: ModelConfig,
  tags: readonly string[] = [],
  modelId = "",
): ModelCharacteristics {
  const [isMultimodal, multimodalType] = detectMultimodal(config);
  const result: ModelCharacteristics = {
    model_type: str(config.model_type),
    architecture_family: normalizeArchitecture(config),
    model_family: detectModelFamily(config, modelId),
    is_multimodal: isMultimodal,
    multimodal_type: multimodalType,
    use_cache: config.use_cache === false ? false : true,
    is_tool_use: detectToolUse(config, tags),
    parameter_count: parametersFromName(modelId),
    source: "config",
  };
  const text = config.text_config && typeof config.text_config === "object"
    ? config.text_config as ModelConfig
    : {};
  for (const field of NUMERIC_FIELDS) {
    const value = positiveInt(config[field]) ?? positiveInt(text[field]);
    if (value !== undefined) result[field] = value;
  }
  const q = quantization(config);
  if (q.bits !== undefined) result.quantization_bits = q.bits;
  if (q.group_size !== undefined) result.quantization_group_size = q.group_size;
  if (result.quantization_bits === undefined) {
    const dtype = str(config.torch_dtype ?? config.dtype ?? text.torch_dtype).toLowerCase();
    if (dtype === "bfloat16" || dtype === "float16") result.quantization_bits = 16;
  }
  return result;
}
