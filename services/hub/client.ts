/**
 * The Hugging Face hub, through `@huggingface/hub`: search, repository info,
 * file trees and `config.json`. Honours `HF_ENDPOINT`, `HF_TOKEN` and offline
 * mode, and turns every failure into an {@link AppError} a person can act on
 * (an unreachable hub is an `upstream` failure, never an empty list).
 *
 * @module
 */
import { AppError } from "../../lib/errors.ts";
import { hubReason, hubStatusError } from "./errors.ts";

/** Settings of a {@link HubClient}. */
export interface HubClientOptions {
  /** `HF_ENDPOINT`, without a trailing slash. */
  endpoint: string;
  /** `HF_TOKEN`, or null. */
  token: string | null;
  /** `MLX_MANAGER_OFFLINE`: refuse every call. */
  offline: boolean;
  /** Milliseconds one API call may take. @default 30000 */
  timeoutMs?: number;
  /** The fetch to use (tests). @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** One model as the hub lists it. */
export interface HubModel {
  id: string;
  author: string | null;
  downloads: number;
  likes: number;
  lastModified: string | null;
  gated: false | "auto" | "manual";
  tags: string[];
  sha: string | null;
  /** `{parameters: {dtype: count}, total}` when the hub knows it. */
  safetensors: unknown;
  /** The hub's partial config (`model_type`, `architectures`). */
  config: Record<string, unknown> | null;
}

/** One file of a repository tree. */
export interface HubFile {
  path: string;
  size: number;
  /** The git blob id. */
  oid: string;
  /** The LFS sha256, for large files. */
  lfsSha256: string | null;
}

/** Sort orders offered by search. */
export const SEARCH_SORTS = {
  downloads: "downloads",
  likes: "likes",
  recent: "lastModified",
  trending: "trendingScore",
} as const;

/** A search sort name. */
export type SearchSort = keyof typeof SEARCH_SORTS;

type HubLib = typeof import("@huggingface/hub");
let hubLib: Promise<HubLib> | null = null;

/** Loaded on first use: the library is large and most starts never need it. */
function lib(): Promise<HubLib> {
  return hubLib ??= import("@huggingface/hub");
}

/**
 * A client for the hub's API.
 *
 * @example
 * ```ts
 * const hub = new HubClient({ endpoint: "https://huggingface.co", token: null, offline: false });
 * const models = await hub.search({ query: "qwen3", author: "mlx-community", sort: "downloads", limit: 20 });
 * ```
 */
export class HubClient {
  readonly endpoint: string;
  readonly offline: boolean;
  /** `HF_TOKEN`: kept private, so nothing can pass it on; {@link hasToken} says whether there is one. */
  readonly #token: string | null;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  /**
   * The hub's `X-Error-Code` of recent failed answers by URL: the library's
   * error keeps the URL but not the headers, and the code tells a missing
   * repository from a gated one.
   */
  readonly #errorCodes = new Map<string, string>();

  constructor(options: HubClientOptions) {
    this.endpoint = options.endpoint;
    this.#token = options.token;
    this.offline = options.offline;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Throws the `unavailable` error of offline mode. */
  assertOnline(): void {
    if (this.offline) {
      throw new AppError(
        "unavailable",
        "MLX Manager is in offline mode (MLX_MANAGER_OFFLINE): Hugging Face is not contacted. Unset it to search and download",
        { reason: "offline" },
      );
    }
  }

  /** Whether `HF_TOKEN` is set. */
  get hasToken(): boolean {
    return this.#token !== null;
  }

  /** The `Authorization` header for the hub, when a token is set. */
  authHeaders(): Record<string, string> {
    return this.#token ? { authorization: `Bearer ${this.#token}` } : {};
  }

  /** A fetch with this client's timeout, for the library. */
  readonly #timedFetch: typeof fetch = async (input, init) => {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const response = await this.#fetch(input, { ...init, signal });
    const code = response.ok ? null : response.headers.get("x-error-code");
    if (code) {
      this.#errorCodes.set(response.url, code);
      // A few are enough: each is read right after its answer.
      if (this.#errorCodes.size > 32) this.#errorCodes.delete(this.#errorCodes.keys().next().value!);
    }
    return response;
  };

  #credentials() {
    return {
      hubUrl: this.endpoint,
      fetch: this.#timedFetch,
      ...(this.#token ? { accessToken: this.#token } : {}),
    };
  }

  /** Maps anything a hub call threw to an {@link AppError}. */
  async #call<T>(subject: string, fn: (hub: HubLib) => Promise<T>): Promise<T> {
    this.assertOnline();
    const hub = await lib();
    try {
      return await fn(hub);
    } catch (error) {
      throw this.#failure(error, subject, hub);
    }
  }

  /** Converts a failure of a hub call into an {@link AppError}. */
  #failure(error: unknown, subject: string, hub?: HubLib): AppError {
    if (error instanceof AppError) return error;
    if (hub && error instanceof hub.HubApiError) {
      const data = error.data as { error?: unknown; message?: unknown } | undefined;
      const reason = typeof data?.error === "string"
        ? data.error
        : typeof data?.message === "string" && data.message
        ? data.message
        : error.message;
      const code = this.#errorCodes.get(error.url) ?? null;
      this.#errorCodes.delete(error.url);
      return hubStatusError(error.statusCode, reason, subject, this.endpoint, this.hasToken, code);
    }
    const name = (error as Error)?.name;
    const message = name === "TimeoutError"
      ? `no answer within ${Math.round(this.#timeoutMs / 1000)} s`
      : (error as Error)?.message ?? String(error);
    return new AppError(
      "upstream",
      `Cannot reach Hugging Face at ${this.endpoint}: ${message}. Check the network connection, or set MLX_MANAGER_OFFLINE=true to work offline`,
      { reason: "hub_unreachable", cause: error },
    );
  }

  /** Searches models; `tags` are hub filters such as "mlx". */
  search(
    params: { query?: string; author?: string; tags?: string[]; sort: SearchSort; limit: number },
  ): Promise<
    HubModel[]
  > {
    return this.#call("the model search", async (hub) => {
      const out: HubModel[] = [];
      const iterator = hub.listModels({
        ...this.#credentials(),
        search: {
          ...(params.query ? { query: params.query } : {}),
          ...(params.author ? { owner: params.author } : {}),
          ...(params.tags?.length ? { tags: params.tags } : {}),
        },
        sort: SEARCH_SORTS[params.sort],
        limit: params.limit,
        additionalFields: ["author", "tags", "sha", "safetensors", "config"],
      });
      for await (const m of iterator) {
        out.push({
          id: m.name,
          author: m.author ?? null,
          downloads: m.downloads ?? 0,
          likes: m.likes ?? 0,
          lastModified: Number.isNaN(m.updatedAt?.getTime()) ? null : m.updatedAt.toISOString(),
          gated: m.gated ?? false,
          tags: m.tags ?? [],
          sha: m.sha ?? null,
          safetensors: m.safetensors ?? null,
          config: (m.config && typeof m.config === "object") ? m.config as Record<string, unknown> : null,
        });
      }
      return out;
    });
  }

  /** Repository info at `revision`: its commit, gating and tags. */
  info(
    id: string,
    revision = "main",
  ): Promise<{ sha: string; gated: false | "auto" | "manual"; tags: string[] }> {
    return this.#call(id, async (hub) => {
      const info = await hub.modelInfo({
        ...this.#credentials(),
        name: id,
        revision,
        additionalFields: ["sha", "tags"],
      });
      if (!info.sha) {
        throw new AppError("upstream", `Hugging Face did not say which commit ${id} is at`, {
          reason: "hub_error",
        });
      }
      return { sha: info.sha, gated: info.gated ?? false, tags: info.tags ?? [] };
    });
  }

  /** What a model page shows of a repository: its commit, gating, tags and the card's licence. */
  card(
    id: string,
  ): Promise<{ sha: string; gated: false | "auto" | "manual"; tags: string[]; license: string | null }> {
    return this.#call(id, async (hub) => {
      const info = await hub.modelInfo({
        ...this.#credentials(),
        name: id,
        additionalFields: ["sha", "tags", "cardData"],
      });
      if (!info.sha) {
        throw new AppError("upstream", `Hugging Face did not say which commit ${id} is at`, {
          reason: "hub_error",
        });
      }
      const tags = info.tags ?? [];
      const card = (info as { cardData?: { license?: unknown } }).cardData;
      const license = typeof card?.license === "string"
        ? card.license
        : tags.find((t) => t.startsWith("license:"))?.slice("license:".length) ?? null;
      return { sha: info.sha, gated: info.gated ?? false, tags, license };
    });
  }

  /**
   * A small text file of a repository at `revision` (a README), or null when
   * it has none or the hub refuses it; cut at `maxBytes`.
   */
  async text(id: string, revision: string, path: string, maxBytes: number): Promise<string | null> {
    this.assertOnline();
    let response: Response;
    try {
      response = await this.#timedFetch(this.resolveUrl(id, revision, path), { headers: this.authHeaders() });
    } catch (error) {
      throw this.#failure(error, id);
    }
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    // Read no more than asked: a README can be large, and only its start is shown.
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body!.getReader();
    while (size < maxBytes) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
    await reader.cancel().catch(() => {});
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return new TextDecoder().decode(bytes.subarray(0, maxBytes));
  }

  /** Every file of a repository at `commit`, recursively. */
  tree(id: string, commit: string): Promise<HubFile[]> {
    return this.#call(id, async (hub) => {
      const files: HubFile[] = [];
      for await (
        const entry of hub.listFiles({ ...this.#credentials(), repo: id, revision: commit, recursive: true })
      ) {
        if (entry.type !== "file") continue;
        files.push({
          path: entry.path,
          size: entry.size,
          oid: entry.oid ?? "",
          lfsSha256: entry.lfs?.oid ?? null,
        });
      }
      return files;
    });
  }

  /** The download URL of a file, as `huggingface_hub` builds it. */
  resolveUrl(id: string, revision: string, path: string): string {
    const encoded = path.split("/").map(encodeURIComponent).join("/");
    return `${this.endpoint}/${id}/resolve/${encodeURIComponent(revision)}/${encoded}`;
  }

  /** A repository's `config.json` at `revision`, or null when it has none. */
  async config(id: string, revision = "main", signal?: AbortSignal): Promise<Record<string, unknown> | null> {
    this.assertOnline();
    let response: Response;
    try {
      response = await this.#timedFetch(this.resolveUrl(id, revision, "config.json"), {
        headers: this.authHeaders(),
        signal,
      });
    } catch (error) {
      throw this.#failure(error, id);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      throw hubStatusError(
        response.status,
        hubReason(response.status, response.headers, body),
        id,
        this.endpoint,
        this.hasToken,
        response.headers.get("x-error-code"),
      );
    }
    try {
      const parsed = await response.json();
      return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
}
