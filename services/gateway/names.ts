/**
 * Model names on `/v1`: a profile answers to its `name` and to each of its
 * `aliases`, compared case-insensitively. Pure functions over the profile list.
 *
 * @module
 */
import type { Profile } from "../../lib/profile_types.ts";

/** The names a profile answers to: its name first, then its aliases. */
export function namesOf(profile: Profile): string[] {
  const aliases = (profile as Profile & { aliases?: string[] | null }).aliases ?? [];
  return [profile.name, ...aliases];
}

/** The key names are compared by. */
export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

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
