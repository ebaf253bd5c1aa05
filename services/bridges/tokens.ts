/**
 * Counting a prompt's tokens with the model's own tokenizer: the
 * `tokenizer.json` (and `tokenizer_config.json`) of a local model folder or
 * of the model's snapshot in the Hugging Face cache, read by
 * `@huggingface/tokenizers`. A model without one there (a remote model, one
 * not downloaded) gets an estimate of a quarter of the characters, and the
 * answer says which it is.
 *
 * @module
 */
import { Tokenizer } from "@huggingface/tokenizers";
import { join } from "node:path";
import { estimateTokens } from "../gateway/observer.ts";

/** A count, and whether it came from the model's tokenizer. */
export interface TokenCount {
  tokens: number;
  method: "tokenizer" | "estimate";
}

/** Tokenizers kept loaded: a large one takes a while to read. */
const KEPT = 4;

/**
 * The folder holding a model's files: the folder itself for a path, else the
 * snapshot `refs/main` points at in the hub cache.
 */
export async function modelFolder(modelPath: string, hubCache: string): Promise<string | null> {
  if (modelPath.startsWith("/")) return modelPath;
  if (!/^[\w.-]+\/[\w.-]+$/.test(modelPath)) return null;
  const repo = join(hubCache, `models--${modelPath.replace("/", "--")}`);
  try {
    const ref = (await Deno.readTextFile(join(repo, "refs", "main"))).trim();
    return /^[\w.-]+$/.test(ref) ? join(repo, "snapshots", ref) : null;
  } catch {
    return null;
  }
}

/**
 * Counts tokens for models by their path.
 *
 * @example
 * ```ts
 * const counter = new TokenCounter(config.hfHubCache);
 * await counter.count("mlx-community/Qwen3-8B-4bit", "Hello"); // { tokens: 1, method: "tokenizer" }
 * ```
 */
export class TokenCounter {
  readonly #hubCache: string;
  readonly #loaded = new Map<string, { mtime: number; tokenizer: Tokenizer }>();

  constructor(hubCache: string) {
    this.#hubCache = hubCache;
  }

  async #tokenizer(modelPath: string): Promise<Tokenizer | null> {
    const folder = await modelFolder(modelPath, this.#hubCache);
    if (!folder) return null;
    const file = join(folder, "tokenizer.json");
    let mtime: number;
    try {
      mtime = (await Deno.stat(file)).mtime?.getTime() ?? 0;
    } catch {
      return null;
    }
    const kept = this.#loaded.get(file);
    if (kept && kept.mtime === mtime) {
      this.#loaded.delete(file);
      this.#loaded.set(file, kept);
      return kept.tokenizer;
    }
    try {
      const json = JSON.parse(await Deno.readTextFile(file));
      const config = await Deno.readTextFile(join(folder, "tokenizer_config.json")).then(JSON.parse).catch(
        () => ({}),
      );
      const tokenizer = new Tokenizer(json, config);
      this.#loaded.set(file, { mtime, tokenizer });
      if (this.#loaded.size > KEPT) this.#loaded.delete(this.#loaded.keys().next().value!);
      return tokenizer;
    } catch {
      // A tokenizer this library cannot read: the estimate will do.
      return null;
    }
  }

  /** Counts `text` for the model at `modelPath` (null: a model with no files here). */
  async count(modelPath: string | null, text: string): Promise<TokenCount> {
    const tokenizer = modelPath ? await this.#tokenizer(modelPath) : null;
    if (tokenizer) {
      try {
        return { tokens: tokenizer.encode(text).ids.length, method: "tokenizer" };
      } catch { /* fall back to the estimate */ }
    }
    return { tokens: estimateTokens(text), method: "estimate" };
  }
}

/** The text a chat request puts before the model, for counting: each message's role and content, and the tools. */
export function promptText(messages: readonly Record<string, unknown>[], tools?: unknown): string {
  const lines: string[] = [];
  for (const m of messages) {
    const content = typeof m.content === "string"
      ? m.content
      : Array.isArray(m.content)
      ? m.content.map((p) => typeof p?.text === "string" ? p.text : "").join("\n")
      : "";
    lines.push(`${m.role}\n${content}`);
    if (typeof m.reasoning_content === "string") lines.push(m.reasoning_content);
    if (m.tool_calls) lines.push(JSON.stringify(m.tool_calls));
  }
  if (tools) lines.push(JSON.stringify(tools));
  return lines.join("\n");
}
