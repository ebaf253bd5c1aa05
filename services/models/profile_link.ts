/**
 * The "create profile" link of a local model (declared in `lib/profile_link.ts`,
 * which pages in the browser use too).
 *
 * @module
 */
export { createProfileUrl } from "../../lib/profile_link.ts";
