/**
 * The built-in `get_weather` tool: a mock whose answer depends only on the
 * location, so the same question gets the same weather on every run and
 * every machine (a per-process randomised string hash would not give that).
 *
 * @module
 */

const CONDITIONS = ["sunny", "cloudy", "partly cloudy", "rainy", "windy"] as const;

/** What {@link weather} answers. */
export interface WeatherReport {
  location: string;
  temperature: number;
  unit: "celsius" | "fahrenheit";
  condition: typeof CONDITIONS[number];
  humidity: number;
}

/**
 * FNV-1a over the UTF-8 bytes of `text`: a stable 32-bit unsigned hash.
 *
 * @example
 * ```ts
 * stableHash("tokyo, japan") === stableHash("tokyo, japan"); // always
 * ```
 */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The mock weather at `location`. Case and surrounding spaces of the location
 * do not change the answer.
 *
 * @example
 * ```ts
 * weather("Tokyo, Japan"); // { location: "Tokyo, Japan", temperature: 23, unit: "celsius", … }
 * ```
 */
export function weather(location: string, unit: "celsius" | "fahrenheit" = "celsius"): WeatherReport {
  const h = stableHash(location.trim().toLowerCase());
  const [min, max] = unit === "fahrenheit" ? [50, 95] : [10, 35];
  return {
    location,
    temperature: min + (h % (max - min)),
    unit,
    condition: CONDITIONS[h % CONDITIONS.length],
    humidity: 30 + ((h >>> 8) % 61),
  };
}
