/**
 * A small leveled logger that writes one line per record.
 *
 * Records never contain secrets: callers pass paths without query strings and
 * never pass passwords, hashes or tokens.
 *
 * @module
 */
import { LOG_LEVELS, type LogLevel } from "./config.ts";

/** Fields attached to a log record. */
export type LogFields = Record<string, unknown>;

/** A leveled logger. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Where log lines go; defaults to standard error. */
export type LogSink = (line: string) => void;

function defaultSink(line: string): void {
  // deno-lint-ignore no-console
  console.error(line);
}

function format(fields: LogFields | undefined): string {
  if (!fields) return "";
  return Object.entries(fields)
    .map(([key, value]) => {
      const shown = value instanceof Error ? value.message : value;
      return ` ${key}=${typeof shown === "string" && !/\s/.test(shown) ? shown : JSON.stringify(shown)}`;
    })
    .join("");
}

/**
 * Creates a logger that drops records below `level`.
 *
 * @example
 * ```ts
 * const log = createLogger("info");
 * log.info("listening", { port: 8080 }); // 2026-01-01T00:00:00.000Z INFO listening port=8080
 * ```
 */
export function createLogger(
  level: LogLevel,
  sink: LogSink = defaultSink,
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  function writer(name: Exclude<LogLevel, "silent">) {
    const enabled = LOG_LEVELS.indexOf(name) >= threshold;
    return (message: string, fields?: LogFields) => {
      if (enabled) {
        sink(
          `${new Date().toISOString()} ${name.toUpperCase()} ${message}${format(fields)}`,
        );
      }
    };
  }
  return {
    debug: writer("debug"),
    info: writer("info"),
    warn: writer("warn"),
    error: writer("error"),
  };
}
