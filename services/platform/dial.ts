/**
 * The bind→dial rule for services: the one in `lib/dial.ts`, which browser
 * code shares.
 *
 * @module
 */
export { dialHost, type DialOptions, isWildcardHost, serverUrl } from "../../lib/dial.ts";
