/**
 * Every limit on the size of a request body, in one table: the body-limit
 * middleware applies it by path, and the gateway reads its own `/v1` limits
 * from it.
 *
 * @module
 */

/** One kibibyte. */
export const KB = 1024;
/** One mebibyte. */
export const MB = 1024 * KB;

/** The limits, in bytes, by what the body carries. */
export const BODY_LIMITS = {
  /** A route the path table names no other limit for. */
  default: MB,
  /** Sign-in, registration and other small forms. */
  form: 64 * KB,
  /** Chat requests and saved conversations: whole conversations, with pictures. */
  conversation: 25 * MB,
  /** A JSON body the gateway forwards on `/v1`. */
  gatewayJson: 25 * MB,
  /** A multipart body the gateway forwards on `/v1` (audio, images). */
  gatewayMultipart: 100 * MB,
} as const;

/**
 * Body limits by path prefix, first match wins. `Infinity` opts a prefix out:
 * the gateway limits `/v1` bodies itself (JSON and multipart apart, with
 * {@link BODY_LIMITS}), answering in OpenAI's shape.
 */
export const ROUTE_BODY_LIMITS: readonly (readonly [prefix: string, bytes: number])[] = [
  ["/api/auth/", BODY_LIMITS.form],
  ["/login", BODY_LIMITS.form],
  ["/register", BODY_LIMITS.form],
  ["/logout", BODY_LIMITS.form],
  ["/api/models/download", BODY_LIMITS.form],
  ["/api/models/run", BODY_LIMITS.form],
  ["/api/servers/", BODY_LIMITS.form],
  ["/api/chat", BODY_LIMITS.conversation],
  ["/api/conversations", BODY_LIMITS.conversation],
  ["/v1/", Infinity],
];

/**
 * The body limit of a path, in bytes.
 *
 * @example
 * ```ts
 * bodyLimitFor("/api/auth/login"); // 65536
 * bodyLimitFor("/api/profiles");   // 1048576
 * ```
 */
export function bodyLimitFor(path: string): number {
  return ROUTE_BODY_LIMITS.find(([prefix]) => path === prefix || path.startsWith(prefix))?.[1] ??
    BODY_LIMITS.default;
}

/**
 * A limit as a person reads it.
 *
 * @example
 * ```ts
 * sizeText(64 * KB); // "64 KB"
 * ```
 */
export function sizeText(bytes: number): string {
  return bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.round(bytes / KB)} KB`;
}
