/**
 * A safe arithmetic evaluator for the built-in `calculate` tool: a small
 * tokenizer and recursive-descent parser. Nothing is ever handed to `eval` or
 * `Function`; only numbers, operators, parentheses and a fixed set of
 * functions and constants are understood.
 *
 * Grammar (lowest precedence first):
 *
 * ```
 * expr    := term (("+" | "-") term)*
 * term    := unary (("*" | "/" | "%") unary)*
 * unary   := ("-" | "+") unary | power
 * power   := primary (("^" | "**") unary)?       right-associative; -2^2 = -4
 * primary := number | constant | name "(" args ")" | "(" expr ")"
 * ```
 *
 * @module
 */

/** The longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 500;
/** How deeply parentheses, calls and unary signs may nest. */
export const MAX_DEPTH = 64;

/** A calculation that cannot be done, with a message for the model or the person. */
export class CalculationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CalculationError";
  }
}

type Token =
  | { kind: "number"; value: number; at: number }
  | { kind: "name"; value: string; at: number }
  | { kind: "op"; value: string; at: number }
  | { kind: "end"; at: number };

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI };

interface Fn {
  min: number;
  max: number;
  run: (...args: number[]) => number;
}

function domain(name: string, ok: boolean, what: string): void {
  if (!ok) throw new CalculationError(`${name} needs ${what}`);
}

const FUNCTIONS: Record<string, Fn> = {
  sqrt: {
    min: 1,
    max: 1,
    run: (x) => (domain("sqrt", x >= 0, "a number that is not negative"), Math.sqrt(x)),
  },
  abs: { min: 1, max: 1, run: Math.abs },
  round: {
    min: 1,
    max: 2,
    run: (x, digits = 0) => {
      domain("round", Number.isInteger(digits) && digits >= 0 && digits <= 15, "0 to 15 digits");
      const f = 10 ** digits;
      return Math.round(x * f) / f;
    },
  },
  floor: { min: 1, max: 1, run: Math.floor },
  ceil: { min: 1, max: 1, run: Math.ceil },
  min: { min: 1, max: 100, run: Math.min },
  max: { min: 1, max: 100, run: Math.max },
  sin: { min: 1, max: 1, run: Math.sin },
  cos: { min: 1, max: 1, run: Math.cos },
  tan: { min: 1, max: 1, run: Math.tan },
  exp: { min: 1, max: 1, run: Math.exp },
  log: {
    min: 1,
    max: 2,
    run: (x, base?: number) => {
      domain("log", x > 0, "a positive number");
      if (base === undefined) return Math.log(x);
      domain("log", base > 0 && base !== 1, "a positive base other than 1");
      return Math.log(x) / Math.log(base);
    },
  },
  ln: { min: 1, max: 1, run: (x) => (domain("ln", x > 0, "a positive number"), Math.log(x)) },
  log10: { min: 1, max: 1, run: (x) => (domain("log10", x > 0, "a positive number"), Math.log10(x)) },
  log2: { min: 1, max: 1, run: (x) => (domain("log2", x > 0, "a positive number"), Math.log2(x)) },
};

/** The function names the calculator knows, for the tool's description. */
export const FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS);

function describe(token: Token): string {
  return token.kind === "end" ? "the end of the expression" : `"${token.value}" at position ${token.at + 1}`;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const number = /^(?:\d+(?:_\d+)*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: "number", value: Number(number[0].replaceAll("_", "")), at: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (name) {
      tokens.push({ kind: "name", value: name[0], at: i });
      i += name[0].length;
      continue;
    }
    if (source.startsWith("**", i)) {
      tokens.push({ kind: "op", value: "**", at: i });
      i += 2;
      continue;
    }
    if ("+-*/%^(),".includes(ch)) {
      tokens.push({ kind: "op", value: ch, at: i });
      i++;
      continue;
    }
    throw new CalculationError(`Unexpected character "${ch}" at position ${i + 1}`);
  }
  tokens.push({ kind: "end", at: source.length });
  return tokens;
}

class Parser {
  readonly #tokens: Token[];
  #pos = 0;
  #depth = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  parse(): number {
    const value = this.#expr();
    const next = this.#peek();
    if (next.kind !== "end") throw new CalculationError(`Unexpected ${describe(next)}`);
    return value;
  }

  #peek(): Token {
    return this.#tokens[this.#pos];
  }

  #isOp(...ops: string[]): boolean {
    const t = this.#peek();
    return t.kind === "op" && ops.includes(t.value);
  }

  #expect(op: string): void {
    if (!this.#isOp(op)) throw new CalculationError(`Expected "${op}" but found ${describe(this.#peek())}`);
    this.#pos++;
  }

  #nest<T>(fn: () => T): T {
    if (++this.#depth > MAX_DEPTH) {
      throw new CalculationError(`The expression nests more than ${MAX_DEPTH} levels deep`);
    }
    try {
      return fn();
    } finally {
      this.#depth--;
    }
  }

  #expr(): number {
    let value = this.#term();
    while (this.#isOp("+", "-")) {
      const op = (this.#tokens[this.#pos++] as { value: string }).value;
      const right = this.#term();
      value = op === "+" ? value + right : value - right;
    }
    return value;
  }

  #term(): number {
    let value = this.#unary();
    while (this.#isOp("*", "/", "%")) {
      const op = (this.#tokens[this.#pos++] as { value: string }).value;
      const right = this.#unary();
      if ((op === "/" || op === "%") && right === 0) throw new CalculationError("Division by zero");
      value = op === "*" ? value * right : op === "/" ? value / right : value % right;
    }
    return value;
  }

  #unary(): number {
    if (this.#isOp("-", "+")) {
      const op = (this.#tokens[this.#pos++] as { value: string }).value;
      return this.#nest(() => {
        const value = this.#unary();
        return op === "-" ? -value : value;
      });
    }
    return this.#power();
  }

  #power(): number {
    const base = this.#primary();
    if (!this.#isOp("^", "**")) return base;
    this.#pos++;
    const exponent = this.#nest(() => this.#unary());
    if (base === 0 && exponent < 0) throw new CalculationError("Division by zero");
    return base ** exponent;
  }

  #primary(): number {
    const token = this.#peek();
    if (token.kind === "number") {
      this.#pos++;
      return token.value;
    }
    if (token.kind === "op" && token.value === "(") {
      this.#pos++;
      const value = this.#nest(() => this.#expr());
      this.#expect(")");
      return value;
    }
    if (token.kind === "name") {
      this.#pos++;
      const name = token.value.toLowerCase();
      if (!this.#isOp("(")) {
        if (Object.hasOwn(CONSTANTS, name)) return CONSTANTS[name];
        if (Object.hasOwn(FUNCTIONS, name)) {
          throw new CalculationError(`Function "${token.value}" needs parentheses`);
        }
        throw new CalculationError(`Unknown name "${token.value}": use numbers, pi or e`);
      }
      // Own properties only: "constructor" or "__proto__" must not reach Object's prototype.
      const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
      if (!fn) {
        throw new CalculationError(
          `Unknown function "${token.value}": use one of ${FUNCTION_NAMES.join(", ")}`,
        );
      }
      this.#pos++;
      const args = this.#nest(() => this.#args());
      if (args.length < fn.min || args.length > fn.max) {
        const wanted = fn.min === fn.max ? `${fn.min}` : `${fn.min} to ${fn.max}`;
        throw new CalculationError(`${name} takes ${wanted} argument(s), not ${args.length}`);
      }
      return fn.run(...args);
    }
    throw new CalculationError(`Unexpected ${describe(token)}`);
  }

  #args(): number[] {
    const args: number[] = [];
    if (this.#isOp(")")) {
      this.#pos++;
      return args;
    }
    while (true) {
      args.push(this.#expr());
      if (this.#isOp(",")) {
        this.#pos++;
        continue;
      }
      this.#expect(")");
      return args;
    }
  }
}

/**
 * Evaluates an arithmetic expression, or throws a {@link CalculationError}
 * that says what is wrong.
 *
 * @example
 * ```ts
 * evaluate("2 + 3 * 4");        // 14
 * evaluate("-2 ^ 2");           // -4
 * evaluate("sqrt(16) + max(1, 5)"); // 9
 * evaluate("1 / 0");            // throws CalculationError("Division by zero")
 * ```
 */
export function evaluate(expression: string): number {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new CalculationError(
      `The expression is too long: keep it under ${MAX_EXPRESSION_LENGTH} characters`,
    );
  }
  if (expression.trim() === "") throw new CalculationError("Expression is required");
  const value = new Parser(tokenize(expression)).parse();
  if (!Number.isFinite(value)) throw new CalculationError("The result is too large to represent");
  // Tidy binary floating-point noise (0.1 + 0.2 = 0.30000000000000004) without hiding real precision.
  const tidy = Number(value.toPrecision(15));
  return Math.abs(tidy - value) <= Number.EPSILON * Math.abs(value) ? tidy : value;
}
