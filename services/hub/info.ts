/**
 * What a model page shows before a download: the repository's files and
 * their sizes, its licence and gating, the context length from its
 * `config.json`, and its README (the model card).
 *
 * @module
 */
import type { ModelInfo } from "../../lib/model_types.ts";
import type { HubClient } from "./client.ts";

/** The start of a README that is shown; longer cards are cut here. */
export const README_MAX_BYTES = 256 * 1024;

/**
 * The README without its YAML front matter (the hub's metadata block, which
 * the page shows as licence and tags instead).
 *
 * @example
 * ```ts
 * stripFrontMatter("---\nlicense: mit\n---\n# Qwen3"); // "# Qwen3"
 * ```
 */
export function stripFrontMatter(readme: string): string {
  const match = readme.match(/^\uFEFF?---\r?\n[\s\S]*?\r?\n(---|\.\.\.)[ \t]*(\r?\n|$)/);
  return (match ? readme.slice(match[0].length) : readme).replace(/^\s+/, "");
}

/**
 * The context length a config declares: `max_position_embeddings` (also
 * inside `text_config` for vision models), else the other names models use.
 *
 * @example
 * ```ts
 * contextLength({ max_position_embeddings: 40960 }); // 40960
 * ```
 */
export function contextLength(config: Record<string, unknown> | null): number | null {
  if (!config) return null;
  const text = config.text_config && typeof config.text_config === "object"
    ? config.text_config as Record<string, unknown>
    : {};
  for (const key of ["max_position_embeddings", "max_sequence_length", "seq_length", "n_positions"]) {
    for (const source of [config, text]) {
      const value = source[key];
      if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
    }
  }
  return null;
}

/**
 * A repository's details from the hub, all read at one commit.
 *
 * @throws {AppError} the hub's errors: `not_found`, `unavailable` offline, `upstream`
 *
 * @example
 * ```ts
 * const info = await modelInfo(hub, "mlx-community/Qwen3-8B-4bit");
 * info.total_bytes; // 4_620_000_000
 * ```
 */
export async function modelInfo(hub: HubClient, id: string): Promise<ModelInfo> {
  const card = await hub.card(id);
  // A gated repository's files are listed, but its contents need an accepted licence and a token.
  const [tree, config, readme] = await Promise.all([
    hub.tree(id, card.sha),
    hub.config(id, card.sha).catch(() => null),
    hub.text(id, card.sha, "README.md", README_MAX_BYTES).catch(() => null),
  ]);
  const files = tree.map((f) => ({ path: f.path, size: f.size })).sort((a, b) =>
    a.path.localeCompare(b.path)
  );
  return {
    id,
    sha: card.sha,
    files,
    total_bytes: files.reduce((n, f) => n + f.size, 0),
    license: card.license,
    gated: card.gated,
    tags: card.tags,
    context_length: contextLength(config),
    readme: readme === null ? null : stripFrontMatter(readme),
    // Listed but unreadable in a gated repository: the hub keeps it from whoever has no access yet.
    readme_hidden: readme === null && card.gated !== false && files.some((f) => f.path === "README.md"),
  };
}
