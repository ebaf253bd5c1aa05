import type { Migration } from "../migrate.ts";

/**
 * The options of newer mlx-openai-server versions, on the profile (null =
 * the server's own default): the prompt cache (`prompt_cache_size` entries,
 * `prompt_cache_bytes`), speculative decoding (`draft_model_path`,
 * `num_draft_tokens`), KV cache quantisation (`kv_bits`, `kv_group_size`,
 * `quantized_kv_start`), more sampling defaults (`top_k`, `min_p`,
 * `repetition_penalty`, `presence_penalty`, `seed`) and image LoRA adapters
 * (`lora_paths`, `lora_scales`: JSON lists).
 */
export const serverOptions: Migration = {
  version: 11,
  name: "server_options",
  sql: `
    ALTER TABLE profiles ADD COLUMN prompt_cache_size INTEGER CHECK (prompt_cache_size IS NULL OR prompt_cache_size >= 0);
    ALTER TABLE profiles ADD COLUMN prompt_cache_bytes INTEGER CHECK (prompt_cache_bytes IS NULL OR prompt_cache_bytes >= 1);
    ALTER TABLE profiles ADD COLUMN draft_model_path TEXT;
    ALTER TABLE profiles ADD COLUMN num_draft_tokens INTEGER CHECK (num_draft_tokens IS NULL OR num_draft_tokens >= 1);
    ALTER TABLE profiles ADD COLUMN kv_bits INTEGER CHECK (kv_bits IS NULL OR kv_bits BETWEEN 1 AND 8);
    ALTER TABLE profiles ADD COLUMN kv_group_size INTEGER CHECK (kv_group_size IS NULL OR kv_group_size >= 1);
    ALTER TABLE profiles ADD COLUMN quantized_kv_start INTEGER CHECK (quantized_kv_start IS NULL OR quantized_kv_start >= 0);
    ALTER TABLE profiles ADD COLUMN top_k INTEGER CHECK (top_k IS NULL OR top_k >= 0);
    ALTER TABLE profiles ADD COLUMN min_p REAL CHECK (min_p IS NULL OR min_p BETWEEN 0 AND 1);
    ALTER TABLE profiles ADD COLUMN repetition_penalty REAL CHECK (repetition_penalty IS NULL OR repetition_penalty >= 0);
    ALTER TABLE profiles ADD COLUMN presence_penalty REAL CHECK (presence_penalty IS NULL OR presence_penalty BETWEEN -2 AND 2);
    ALTER TABLE profiles ADD COLUMN seed INTEGER CHECK (seed IS NULL OR seed >= 0);
    ALTER TABLE profiles ADD COLUMN lora_paths TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE profiles ADD COLUMN lora_scales TEXT NOT NULL DEFAULT '[]';
  `,
};
