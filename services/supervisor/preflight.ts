/**
 * The checks before a spawn, as a value: the port is held by another
 * profile's server or by another program, or the host is not an address of
 * this machine. {@link problemError} turns a problem into the error a person reads.
 *
 * @module
 */
import type { Profile } from "../../db/profiles.ts";
import { AppError } from "../../lib/errors.ts";
import { portProblem } from "./ports.ts";

/** Why a profile's server cannot be started where its profile says. */
export type Problem =
  | { kind: "port_held"; port: number; holder: string }
  | { kind: "port_in_use"; port: number }
  | { kind: "bad_host"; host: string };

/**
 * Checks the profile's host and port; null when a server could listen there.
 * `holder` names the profile whose live server holds a port, if any.
 *
 * @example
 * ```ts
 * await preflight(profile, () => null); // null, or { kind: "port_in_use", port: 10240 }
 * ```
 */
export async function preflight(
  profile: Pick<Profile, "host" | "port">,
  holder: (port: number) => string | null,
): Promise<Problem | null> {
  const held = holder(profile.port);
  if (held) return { kind: "port_held", port: profile.port, holder: held };
  const problem = await portProblem(profile.host, profile.port);
  if (problem === "in_use") return { kind: "port_in_use", port: profile.port };
  if (problem === "bad_host") return { kind: "bad_host", host: profile.host };
  return null;
}

/** Reasons of {@link problemError}: the profile's settings must change before a start can work. */
const PROFILE_PROBLEMS = new Set(["port_in_use", "bad_host"]);

/**
 * Whether `error` is a {@link Problem} of the profile's settings (its port is
 * taken, its host is not this machine's), which a retry alone cannot fix.
 */
export function isProfileProblem(error: unknown): boolean {
  return error instanceof AppError && PROFILE_PROBLEMS.has(error.reason ?? "");
}

/** The error for a {@link Problem}, with the profile field it is about. */
export function problemError(problem: Problem): AppError {
  switch (problem.kind) {
    case "port_held":
      return new AppError(
        "conflict",
        `Port ${problem.port} is used by the server of profile "${problem.holder}": stop it first`,
        { reason: "port_in_use", fields: { port: "This port is in use" } },
      );
    case "port_in_use":
      return new AppError(
        "conflict",
        `Port ${problem.port} is in use by another process: stop that process or choose another port for this profile`,
        { reason: "port_in_use", fields: { port: "This port is in use" } },
      );
    case "bad_host":
      return new AppError(
        "conflict",
        `${problem.host} is not an address of this machine: use 127.0.0.1 or 0.0.0.0`,
        { reason: "bad_host", fields: { host: "Not an address of this machine" } },
      );
  }
}
