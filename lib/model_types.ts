/**
 * The shapes the models API answers with, shared by the services, the routes
 * and the Models page. Browser-safe: types only.
 *
 * @module
 */

/** What detection found out about a model. */
export interface ModelCharacteristics {
  model_type: string;
  /** "Qwen", "Llama"… or "Unknown". */
  architecture_family: string;
  /** The parser family ("qwen3_moe", "harmony"…), or null. */
  model_family: string | null;
  is_multimodal: boolean;
  multimodal_type: string | null;
  use_cache: boolean;
  is_tool_use: boolean;
  /** Parameters, from the name ("8B"), or null. */
  parameter_count: number | null;
  max_position_embeddings?: number;
  num_hidden_layers?: number;
  hidden_size?: number;
  vocab_size?: number;
  num_attention_heads?: number;
  num_key_value_heads?: number;
  head_dim?: number;
  /** 2, 3, 4, 6, 8 for quantized models; 16 for bf16/fp16 weights. */
  quantization_bits?: number;
  quantization_group_size?: number;
  /** "config" when read from `config.json`, "name" when guessed from the name and tags. */
  source: "config" | "name";
}

/** Whether a model fits in this machine's memory. */
export interface FitVerdict {
  /** "fits" within the GPU working set, "tight" only with most of the memory, "too_big", or "unknown". */
  verdict: "fits" | "tight" | "too_big" | "unknown";
  /** Weights plus the context estimate, in bytes; null when the size is unknown. */
  needed_bytes: number | null;
  weights_bytes: number | null;
  /** Key/value cache for `context_tokens`, in bytes. */
  kv_cache_bytes: number | null;
  context_tokens: number;
  /** Memory a model may use comfortably (about 75 % of the total). */
  budget_bytes: number;
  total_memory_bytes: number;
}

/** A short summary of a download job, attached to search results and local models. */
export interface DownloadBrief {
  task_id: string;
  status: DownloadStatus;
  progress: number;
}

/** One search result. */
export interface SearchResult {
  model_id: string;
  author: string;
  downloads: number;
  likes: number;
  /** GiB with 2 decimals, 0 when unknown. */
  estimated_size_gb: number;
  size_bytes: number | null;
  tags: string[];
  is_downloaded: boolean;
  last_modified: string | null;
  gated: false | "auto" | "manual";
  characteristics: ModelCharacteristics;
  fit: FitVerdict;
  download: DownloadBrief | null;
}

/** A reference to a profile or a running server that uses a model. */
export interface UsageRef {
  id: number;
  name: string;
}

/** One model in the local Hugging Face cache. */
export interface LocalModel {
  model_id: string;
  /** The snapshot folder to load. */
  local_path: string;
  commit: string | null;
  /** Bytes on disk, each blob counted once. */
  size_bytes: number;
  size_gb: number;
  weights_bytes: number;
  characteristics: ModelCharacteristics | null;
  fit: FitVerdict;
  last_used_at: string | null;
  used_by: UsageRef[];
  running: UsageRef[];
  /** False when a download is still filling it in, or weights are missing. */
  complete: boolean;
  download: DownloadBrief | null;
  /** `/profiles/new?…` pre-filled from detection. */
  create_profile_url: string;
}

/** Disk figures for the cache folder. */
export interface StorageInfo {
  cache_path: string;
  cache_bytes: number;
  disk_total_bytes: number | null;
  disk_free_bytes: number | null;
  mount: string | null;
}

/** States of a download job. `pending` covers queued and resolving. */
export type DownloadStatus = "pending" | "downloading" | "paused" | "completed" | "failed" | "cancelled";

/** A download job as the API and the `download.update` event show it. */
export interface DownloadView {
  task_id: string;
  model_id: string;
  status: DownloadStatus;
  /** 0–100; 100 only once completed. */
  progress: number;
  downloaded_bytes: number;
  total_bytes: number | null;
  /** Bytes per second over the last few seconds. */
  speed_bps: number;
  eta_seconds: number | null;
  current_file: string | null;
  files_done: number;
  files_total: number;
  error: string | null;
  /** "gated", "not_found", "disk_full", "checksum", "network", "offline"… */
  error_code: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

/** Statuses of a job that still has work to do. */
export const ACTIVE_DOWNLOAD_STATUSES: readonly DownloadStatus[] = ["pending", "downloading", "paused"];

/** Suggested parser options for a model. */
export interface ParserSuggestion {
  tool_call_parser?: string;
  reasoning_parser?: string;
  message_converter?: string;
}

/** A repository's details before a download (`GET /api/models/info/{org}/{name}`). */
export interface ModelInfo {
  id: string;
  /** The commit everything was read at. */
  sha: string;
  files: { path: string; size: number }[];
  total_bytes: number;
  /** The card's licence ("apache-2.0"), or null when it names none. */
  license: string | null;
  gated: false | "auto" | "manual";
  tags: string[];
  /** Tokens, from `config.json`; null when it does not say. */
  context_length: number | null;
  /** The README without its front matter, or null when there is none (or it cannot be read). */
  readme: string | null;
  /** The repository is gated and has a README this manager may not read yet (no access granted). */
  readme_hidden: boolean;
}
