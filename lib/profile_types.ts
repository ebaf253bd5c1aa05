/**
 * The shape of a server profile, shared by the database layer, the API and
 * the islands that show profiles. Browser-safe: types only.
 *
 * @module
 */

/** A server profile as stored and as the API shows it. */
export interface Profile {
  id: number;
  name: string;
  description: string | null;
  /** A Hugging Face repo id (`org/name`) or an absolute path to a model folder. */
  model_path: string;
  model_type: string;
  port: number;
  host: string;
  context_length: number | null;
  max_concurrency: number;
  queue_timeout: number;
  queue_size: number;
  tool_call_parser: string | null;
  reasoning_parser: string | null;
  message_converter: string | null;
  enable_auto_tool_choice: boolean;
  trust_remote_code: boolean;
  chat_template_file: string | null;
  log_level: string;
  /** Start the server when the manager starts. */
  auto_start: boolean;
  /** Restart the server after a crash (with backoff; gives up after 5 crashes in 10 minutes). */
  restart_on_crash: boolean;
  system_prompt: string | null;
  /**
   * Other names the profile answers to on `/v1` besides its `name`; each is
   * unique, case-insensitively, across every profile's name and aliases.
   */
  aliases: string[];
  /** Seconds after its last request before the server is stopped; null or 0 = never. */
  idle_timeout: number | null;
  /** Never stopped to make room for another model. */
  keep_loaded: boolean;
  created_at: string;
  updated_at: string;
}
