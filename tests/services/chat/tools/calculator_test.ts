import assert from "node:assert/strict";
import {
  CalculationError,
  evaluate,
  MAX_EXPRESSION_LENGTH,
} from "../../../../services/chat/tools/calculator.ts";

Deno.test("evaluate() follows arithmetic precedence and associativity", () => {
  const cases: [string, number][] = [
    ["2 + 3 * 4", 14],
    ["(2 + 3) * 4", 20],
    ["10 - 4 - 3", 3],
    ["100 / 10 / 5", 2],
    ["2 ** 8", 256],
    ["2 ^ 3 ^ 2", 512],
    ["-2 ^ 2", -4],
    ["(-2) ^ 2", 4],
    ["2 ^ -1", 0.5],
    ["-5 + 10", 5],
    ["--3", 3],
    ["+4", 4],
    ["7 % 3", 1],
    ["2 * -3", -6],
    ["0.1 + 0.2", 0.3],
    [".5 * 4", 2],
    ["1e3 + 1_000", 2000],
    ["  42  ", 42],
  ];
  for (const [expression, expected] of cases) assert.equal(evaluate(expression), expected, expression);
});

Deno.test("evaluate() knows a few functions and constants, case-insensitively", () => {
  const cases: [string, number][] = [
    ["sqrt(16)", 4],
    ["abs(-3.5)", 3.5],
    ["round(2.345, 2)", 2.35],
    ["round(2.5)", 3],
    ["min(4, 2, 8)", 2],
    ["max(4, 2, 8)", 8],
    ["sin(0)", 0],
    ["cos(0)", 1],
    ["log(e)", 1],
    ["log(8, 2)", 3],
    ["log10(1000)", 3],
    ["floor(-1.5) + ceil(1.2)", 0],
    ["PI", Math.PI],
    ["2 * pi", 2 * Math.PI],
    ["Sqrt(max(9, 4)) + 1", 4],
  ];
  for (const [expression, expected] of cases) assert.equal(evaluate(expression), expected, expression);
});

Deno.test("evaluate() refuses bad input with a clear message", () => {
  const cases: [string, RegExp][] = [
    ["", /Expression is required/],
    ["1 / 0", /Division by zero/],
    ["5 % 0", /Division by zero/],
    ["0 ^ -1", /Division by zero/],
    ["2 +", /Unexpected the end of the expression/],
    ["2 + * 3", /Unexpected "\*" at position 5/],
    ["(1 + 2", /Expected "\)"/],
    ["1 + 2)", /Unexpected "\)" at position 6/],
    ["import os", /Unknown name "import"/],
    ["__import__('os')", /Unexpected character "'"/],
    ["constructor.constructor('x')()", /Unexpected character "\."/],
    ["constructor", /Unknown name "constructor"/],
    ["__proto__(1)", /Unknown function "__proto__"/],
    ["toString(1)", /Unknown function "toString"/],
    ["foo(1)", /Unknown function "foo"/],
    ["sqrt", /needs parentheses/],
    ["sqrt(-1)", /sqrt needs a number that is not negative/],
    ["log(0)", /log needs a positive number/],
    ["max()", /max takes 1 to 100 argument\(s\), not 0/],
    ["sqrt(1, 2)", /sqrt takes 1 argument\(s\), not 2/],
    ["10 ^ 400", /too large/],
    ["2 $ 3", /Unexpected character "\$" at position 3/],
    ["1".repeat(MAX_EXPRESSION_LENGTH + 1), /too long/],
    ["(".repeat(200) + "1" + ")".repeat(200), /nests more than 64 levels/],
    ["-".repeat(300) + "1", /nests more than 64 levels/],
  ];
  for (const [expression, message] of cases) {
    assert.throws(() => evaluate(expression), (e: unknown) => {
      assert.ok(e instanceof CalculationError, `${expression}: ${e}`);
      assert.match(e.message, message, expression);
      return true;
    });
  }
});
