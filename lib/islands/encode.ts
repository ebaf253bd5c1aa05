/**
 * Encodes island props into plain JSON data, with signals shared per page.
 *
 * @module
 */
import { Signal } from "@preact/signals";
import type { SignalRef } from "./payload.ts";

/** The signals of one page render: each signal object gets one index. */
export class SignalTable {
  readonly #indexes = new Map<Signal, number>();
  readonly values: unknown[] = [];

  /** Returns the index of `signal`, adding its current value on first sight. */
  indexOf(signal: Signal, island: string, prop: string): number {
    let index = this.#indexes.get(signal);
    if (index === undefined) {
      index = this.values.length;
      this.#indexes.set(signal, index);
      this.values.push(checkData(signal.peek(), island, prop));
    }
    return index;
  }
}

function describe(value: unknown): string {
  if (typeof value === "function") return "functions are not serializable";
  if (value === undefined) return "undefined is not serializable";
  if (typeof value === "number") return `${value} is not serializable`;
  if (typeof value === "bigint") return "bigints are not serializable";
  if (typeof value === "symbol") return "symbols are not serializable";
  if (value instanceof Signal) {
    return "signals are allowed only as top-level props";
  }
  if (value && typeof value === "object" && "__k" in value) {
    return "JSX elements are not serializable";
  }
  const name = (value as object)?.constructor?.name ?? "object";
  return `${name} instances are not serializable`;
}

/** Checks that `value` is plain JSON data, recursively; throws a TypeError otherwise. */
export function checkData(
  value: unknown,
  island: string,
  prop: string,
): unknown {
  if (
    value === null || typeof value === "string" || typeof value === "boolean"
  ) return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkData(item, island, `${prop}[${i}]`));
    return value;
  }
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) checkData(item, island, `${prop}.${key}`);
      }
      return value;
    }
  }
  throw new TypeError(
    `Cannot serialize prop "${prop}" of island "${island}": ${describe(value)}`,
  );
}

/**
 * Encodes the props of one island: plain data is kept, top-level signals
 * become `{ $signal: n }`, anything else throws a TypeError.
 *
 * @example
 * ```ts
 * const table = new SignalTable();
 * encodeProps("Counter", { count: signal(3), label: "Hits" }, table);
 * // { count: { $signal: 0 }, label: "Hits" }, table.values = [3]
 * ```
 */
export function encodeProps(
  island: string,
  props: Record<string, unknown>,
  table: SignalTable,
): Record<string, unknown> {
  const encoded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (value instanceof Signal) {
      encoded[key] = {
        $signal: table.indexOf(value, island, key),
      } satisfies SignalRef;
    } else {
      encoded[key] = checkData(value, island, key);
    }
  }
  return encoded;
}

/** Serializes a payload as JSON safe to place inside a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(
    /\u2028/g,
    "\\u2028",
  ).replace(
    /\u2029/g,
    "\\u2029",
  );
}
