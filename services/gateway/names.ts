/**
 * Model names on `/v1`: a profile answers to its `name` and to each of its
 * `aliases`, compared case-insensitively. Pure functions over the profile list.
 *
 * @module
 */
import type { Profile } from "../../lib/profile_types.ts";
import { modelNameKey } from "../../db/profiles.ts";

/** The names a profile answers to: its name first, then its aliases. */
export function namesOf(profile: Profile): string[] {
  return [profile.name, ...(profile.aliases ?? [])];
}

/** The key names are compared by (the database's folding, so both agree). */
export const nameKey: (name: string) => string = modelNameKey;

/**
 * The profile that answers to `model`, or null.
 *
 * @example
 * ```ts
 * resolveModel(profiles, "CODER"); // the profile named "coder" or with the alias "Coder"
 * ```
 */
export function resolveModel(profiles: readonly Profile[], model: string): Profile | null {
  const key = nameKey(model);
  return profiles.find((p) => namesOf(p).some((n) => nameKey(n) === key)) ?? null;
}

/**
 * Whether a key's allow-list lets it use `profile`: an empty or absent list
 * allows everything; otherwise any of the profile's names must be listed.
 */
export function allowed(models: readonly string[] | null, profile: Profile): boolean {
  if (!models || models.length === 0) return true;
  const listed = new Set(models.map(nameKey));
  return namesOf(profile).some((n) => listed.has(nameKey(n)));
}
