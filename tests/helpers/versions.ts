/**
 * Running a test against each version of `mlx-openai-server` the manager
 * supports: 1.5.1 (one process, `--max-concurrency`, any model name) and
 * 1.8.1 (batching, the model in a child process, served names). The fake
 * plays either; {@link versionTest} registers one test per version.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The versions every server-starting suite runs against. */
export const SERVER_VERSIONS = ["1.5.1", "1.8.1"] as const;

/** A version the fake plays. */
export type ServerVersion = typeof SERVER_VERSIONS[number];

const BIN = (name: string) => fileURLToPath(new URL(`../fixtures/bin/${name}`, import.meta.url));

/** The fake's executable for `version` (set `MLX_MANAGER_MLX_SERVER` to it). */
export function fakeServerOf(version: ServerVersion): string {
  return version === "1.5.1" ? BIN("mlx-openai-server") : BIN(`mlx-openai-server-${version}`);
}

/** Options of {@link versionTest}. */
export interface VersionTestOptions {
  /** Only these versions. @default every one of {@link SERVER_VERSIONS} */
  versions?: readonly ServerVersion[];
}

/**
 * Registers `name` once per server version, as `name (mlx-openai-server X)`;
 * `fn` gets the version.
 *
 * @example
 * ```ts
 * versionTest("a started server answers /v1", async (version) => {
 *   await using rt = await testRuntime({ env: serverEnv({}, version) });
 *   // …
 * });
 * ```
 */
export function versionTest(
  name: string,
  fn: (version: ServerVersion) => Promise<void> | void,
  options: VersionTestOptions = {},
): void {
  for (const version of options.versions ?? SERVER_VERSIONS) {
    Deno.test(`${name} (mlx-openai-server ${version})`, () => fn(version));
  }
}
