/**
 * Which manager a command talks to and with which token: `--url`, else the
 * manager the saved sign-in belongs to, else this machine's
 * `MLX_MANAGER_HOST`/`MLX_MANAGER_PORT`; `--token`, else the saved token when
 * it was issued by that manager.
 *
 * @module
 */
import type { Config } from "../lib/config.ts";
import { commandConfig, parseUrl } from "./config.ts";
import { serverUrl } from "../services/platform/dial.ts";
import { ManagerClient } from "./client.ts";
import { readToken, type StoredToken } from "./token_store.ts";

/** A manager to talk to. */
export interface Target {
  config: Config;
  url: string;
  token: string | null;
  stored: StoredToken | null;
  client: ManagerClient;
}

/**
 * Resolves the target of a command from its `--url` and `--token` options.
 *
 * @example
 * ```ts
 * const { client } = await resolveTarget({ url: values.url, token: values.token }, "status");
 * ```
 */
export async function resolveTarget(
  options: { url?: string; token?: string; timeoutMs?: number },
  command: string,
): Promise<Target> {
  const config = commandConfig();
  const stored = await readToken(config.dataDir);
  const url = options.url
    ? parseUrl(options.url, command)
    : stored?.url ?? serverUrl(config.host, config.port);
  const token = options.token ??
    (stored && new URL(stored.url).origin === new URL(url).origin ? stored.token : null);
  return {
    config,
    url,
    token,
    stored,
    client: new ManagerClient(url, { token, timeoutMs: options.timeoutMs }),
  };
}
