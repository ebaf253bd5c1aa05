import assert from "node:assert/strict";
import { fieldsSummary } from "../../lib/client/form_errors.ts";

const LABELS: Record<string, string> = { port: "Port", model_path: "Model path", name: "Name" };

Deno.test("fieldsSummary() names every field with a problem by its label, falling back to its key", () => {
  assert.equal(fieldsSummary({}, (n) => LABELS[n]), null);
  assert.equal(fieldsSummary({ port: "x" }, (n) => LABELS[n]), "Check Port");
  assert.equal(fieldsSummary({ port: "x", model_path: "y" }, (n) => LABELS[n]), "Check Port and Model path");
  assert.equal(
    fieldsSummary({ name: "x", port: "y", other_key: "z" }, (n) => LABELS[n]),
    "Check Name, Port and other_key",
  );
});
