/**
 * The web server's listening socket (the connection-capped listener of
 * `services/platform/connections.ts`), with a refused listen
 * turned into a message that names the port or address and the setting that
 * chooses another, instead of "Address already in use (os error 98)".
 *
 * @module
 */
import { CliError, EXIT } from "./io.ts";
import {
  listen as listenConnections,
  type Listening,
  type ListenOptions,
} from "../services/platform/connections.ts";

/**
 * The message for a listen that failed, as a {@link CliError}; any other error as it is.
 *
 * @example
 * ```ts
 * listenError(new Deno.errors.AddrInUse("os error 98"), "127.0.0.1", 8080).message;
 * // "Port 8080 is in use by another program: …"
 * ```
 */
export function listenError(error: unknown, host: string, port: number): unknown {
  if (error instanceof Deno.errors.AddrInUse) {
    return new CliError(
      `Port ${port} is in use by another program, so MLX Manager cannot listen on it: stop that program, ` +
        `or choose another port with --port or MLX_MANAGER_PORT (for example MLX_MANAGER_PORT=${
          port === 65535 ? 8081 : port + 1
        })`,
      EXIT.failure,
    );
  }
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return new CliError(
      `${host} is not an address of this machine: choose another with --host or MLX_MANAGER_HOST ` +
        `(127.0.0.1 for this Mac only, 0.0.0.0 for every network)`,
      EXIT.failure,
    );
  }
  if (error instanceof Deno.errors.PermissionDenied && port < 1024) {
    return new CliError(
      `Port ${port} needs administrator rights: choose a port from 1024 up with --port or MLX_MANAGER_PORT`,
      EXIT.failure,
    );
  }
  return error;
}

/** What {@link listen} serves: a way to close what was opened for it when the listen is refused. */
export interface Served {
  close(): Promise<void>;
}

/**
 * The manager's listener (`services/platform/connections.ts`: a connection cap and client
 * timeouts) on `options.hostname`:`options.port`; when the listen is refused,
 * `runtime` is closed before the error is thrown.
 *
 * @throws {CliError} when the port is taken or the address is not this machine's
 */
export async function listen(runtime: Served, options: ListenOptions): Promise<Listening> {
  try {
    return listenConnections(options);
  } catch (error) {
    await runtime.close();
    throw listenError(error, options.hostname, options.port);
  }
}
