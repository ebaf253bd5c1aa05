import assert from "node:assert/strict";
import { parseTheme, themeCookie } from "../../lib/theme.ts";

Deno.test("parseTheme() names a known theme and falls back to system for anything else", () => {
  assert.equal(parseTheme("dark"), "dark");
  assert.equal(parseTheme("light"), "light");
  assert.equal(parseTheme("system"), "system");
  for (const value of [undefined, null, "", "DARK", "blue"]) assert.equal(parseTheme(value), "system");
});

Deno.test("themeCookie() remembers the theme for a year on every path", () => {
  assert.equal(themeCookie("dark"), "mlx_theme=dark; Path=/; Max-Age=31536000; SameSite=Lax");
});
