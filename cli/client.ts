/**
 * A small HTTP client for the manager's API, turning failures into messages
 * and exit codes: not reachable (3), not authorized (4), anything else (1).
 *
 * @module
 */
import { CliError, EXIT } from "./io.ts";

/** A JSON answer. */
export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

/** Options of {@link ManagerClient}. */
export interface ClientOptions {
  token?: string | null;
  /** @default 5000 */
  timeoutMs?: number;
}

/**
 * Calls the API of the manager at `url`.
 *
 * @example
 * ```ts
 * const client = new ManagerClient("http://127.0.0.1:8080", { token });
 * const servers = await client.get("/api/servers");
 * ```
 */
export class ManagerClient {
  readonly #url: string;
  readonly #options: ClientOptions;

  constructor(url: string, options: ClientOptions = {}) {
    this.#url = url;
    this.#options = options;
  }

  /** Sends a request; network failures become exit 3. */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.#options.token) headers.authorization = `Bearer ${this.#options.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(`${this.#url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 5000),
      });
    } catch (error) {
      const reason = error instanceof DOMException && error.name === "TimeoutError"
        ? "it did not answer in time"
        : (error as Error).message.replace(/^error sending request for url \([^)]*\): /, "");
      throw new CliError(
        `MLX Manager is not reachable at ${this.#url}: ${reason}\nStart it with "mlx-manager serve" or pass --url`,
        EXIT.unreachable,
      );
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: keep the text for the message.
    }
    return { status: res.status, body: parsed as T };
  }

  /** GET that must succeed: 401/403 become exit 4, other failures exit 1. */
  async get<T = unknown>(path: string): Promise<T> {
    return this.#ok(await this.request<T>("GET", path), path);
  }

  /** POST that must succeed, like {@link get}. */
  async post<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.#ok(await this.request<T>("POST", path, body), path);
  }

  /** Checks that the URL answers as MLX Manager (`GET /health`). */
  async ensureReachable(): Promise<void> {
    const { status, body } = await this.request<{ status?: string }>("GET", "/health");
    if (status !== 200 || (body as { status?: string })?.status !== "healthy") {
      throw new CliError(
        `Something other than MLX Manager answers at ${this.#url} (HTTP ${status})\nPass the right --url`,
        EXIT.unreachable,
      );
    }
  }

  #ok<T>(answer: ApiAnswer<T>, path: string): T {
    if (answer.status >= 200 && answer.status < 300) return answer.body;
    throw apiError(answer, path);
  }
}

/** The error for a failed answer. */
export function apiError(answer: ApiAnswer, path: string): CliError {
  const detail = (answer.body as { detail?: unknown })?.detail;
  const message = typeof detail === "string" ? detail : `HTTP ${answer.status} from ${path}`;
  if (answer.status === 401) {
    return new CliError(
      `Not signed in (${message}): run "mlx-manager login" or pass --token`,
      EXIT.unauthorized,
    );
  }
  if (answer.status === 403) return new CliError(message, EXIT.unauthorized);
  return new CliError(message, EXIT.failure);
}
