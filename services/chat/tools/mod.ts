/**
 * The built-in tools offered to tool-capable models (`GET /api/mcp/tools`,
 * `POST /api/mcp/execute`, and the chat's tool loop): their OpenAI function
 * definitions and one executor.
 *
 * @module
 */
import { CalculationError, evaluate, FUNCTION_NAMES } from "./calculator.ts";
import { weather } from "./weather.ts";

/** An OpenAI function-tool definition. */
export interface ToolDefinition {
  type: "function";
  function: {
    name: string;
    description: string;
    parameters: Record<string, unknown>;
  };
}

/** The built-in tools, in the order `GET /api/mcp/tools` lists them. */
export const BUILTIN_TOOLS: readonly ToolDefinition[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Get the current weather for a location",
      parameters: {
        type: "object",
        properties: {
          location: { type: "string", description: "The city and country, e.g. Tokyo, Japan" },
          unit: {
            type: "string",
            enum: ["celsius", "fahrenheit"],
            description: "Temperature unit. Defaults to celsius",
          },
        },
        required: ["location"],
      },
    },
  },
  {
    type: "function",
    function: {
      name: "calculate",
      description: "Evaluate a mathematical expression",
      parameters: {
        type: "object",
        properties: {
          expression: {
            type: "string",
            description:
              `The expression. Supports +, -, *, /, % (remainder), ^ or ** (power), parentheses, ` +
              `the constants pi and e, and the functions ${FUNCTION_NAMES.join(", ")}`,
          },
        },
        required: ["expression"],
      },
    },
  },
];

/** A tool's answer: any JSON object; failures carry `error`. */
export type ToolResult = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

/**
 * Runs a built-in tool. Never throws: unknown tools and bad arguments give
 * `{ error }`, which the model can read and react to.
 *
 * @example
 * ```ts
 * executeTool("calculate", { expression: "2 + 3 * 4" }); // { expression: "2 + 3 * 4", result: 14 }
 * executeTool("nope", {});                               // { error: "Unknown tool: nope" }
 * ```
 */
export function executeTool(name: string, args: Record<string, unknown>): ToolResult {
  if (name === "get_weather") {
    const location = text(args.location).trim();
    if (!location) return { error: "Location is required" };
    const unit = text(args.unit || "celsius").trim().toLowerCase();
    if (unit !== "celsius" && unit !== "fahrenheit") {
      return { error: `Unknown unit "${text(args.unit)}": use celsius or fahrenheit` };
    }
    return { ...weather(location, unit) };
  }
  if (name === "calculate") {
    const expression = text(args.expression);
    try {
      return { expression, result: evaluate(expression) };
    } catch (error) {
      if (error instanceof CalculationError) return { error: `Calculation failed: ${error.message}` };
      return { error: `Unexpected error: ${(error as Error).message}` };
    }
  }
  return { error: `Unknown tool: ${name}` };
}

/** The outcome of {@link parseToolArguments}. */
export type ParsedArguments = { ok: true; args: Record<string, unknown> } | { ok: false; error: string };

/**
 * Parses a tool call's `arguments` (a JSON string in OpenAI's format, or
 * already an object) into an object.
 *
 * @example
 * ```ts
 * parseToolArguments('{"city": "Tokyo"}'); // { ok: true, args: { city: "Tokyo" } }
 * parseToolArguments("{oops");             // { ok: false, error: "Invalid arguments: not valid JSON" }
 * ```
 */
export function parseToolArguments(raw: unknown): ParsedArguments {
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
    return { ok: true, args: raw as Record<string, unknown> };
  }
  const source = text(raw).trim();
  if (source === "") return { ok: true, args: {} };
  try {
    const value = JSON.parse(source);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      return { ok: true, args: value };
    }
    return { ok: false, error: "Invalid arguments: expected a JSON object" };
  } catch {
    return { ok: false, error: "Invalid arguments: not valid JSON" };
  }
}
