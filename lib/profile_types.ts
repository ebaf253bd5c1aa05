/**
 * The shape of a server profile, shared by the database layer, the API and
 * the islands that show profiles. Browser-safe: types only. The fields come
 * from the one declaration in `lib/profile_fields.ts`.
 *
 * @module
 */
import type { ProfileFieldValues } from "./profile_fields.ts";

/** A server profile as stored and as the API shows it. */
export interface Profile extends ProfileFieldValues {
  id: number;
  created_at: string;
  updated_at: string;
}
