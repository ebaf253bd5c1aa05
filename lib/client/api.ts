/**
 * `fetch` for the app's JSON API from islands: sends cookies, turns error
 * answers into {@link ApiError} with the server's message and field errors,
 * and sends the browser to the login page when the session has ended.
 *
 * @module
 */

/** An error answer from the API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly code?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Options of {@link api}. */
export interface ApiOptions {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** Do not redirect to the login page on 401 (login and register forms). @default false */
  noRedirect?: boolean;
}

/**
 * Calls the API and returns the parsed JSON body (or `null` for 204).
 *
 * @example
 * ```ts
 * const profiles = await api<Profile[]>("/api/profiles");
 * await api("/api/servers/3/start", { method: "POST" });
 * ```
 */
export async function api<T = unknown>(
  path: string,
  options: ApiOptions = {},
): Promise<T> {
  const {
    method = options.body === undefined ? "GET" : "POST",
    body,
    signal,
    noRedirect = false,
  } = options;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      credentials: "same-origin",
      headers: body === undefined ? { accept: "application/json" } : {
        accept: "application/json",
        "content-type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, "Cannot reach MLX Manager: check that it is running");
  }
  if (response.status === 401 && !noRedirect) {
    location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
  }
  if (response.status === 204) return null as T;
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text };
  }
  if (!response.ok) {
    const detail = (data as { detail?: unknown })?.detail;
    const message = typeof detail === "string" ? detail : `Request failed (${response.status})`;
    const fields = (data as { fields?: Record<string, string> })?.fields ?? {};
    throw new ApiError(
      response.status,
      message,
      fields,
      (data as { code?: string })?.code,
    );
  }
  return data as T;
}

/** The message to show for any error caught in an island. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
