import assert from "node:assert/strict";
import { ApiError } from "../../lib/client/api.ts";
import { alertText, clearField, fieldsSummary, formErrors, NO_ERRORS } from "../../lib/client/form_errors.ts";

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

Deno.test("formErrors() keeps the server's sentence beside the field problems, except a 422's restatement", () => {
  const conflict = new ApiError(409, 'An upstream named "x" already exists: choose another name', {
    name: "Already taken",
  });
  assert.deepEqual(formErrors(conflict), {
    fields: { name: "Already taken" },
    message: 'An upstream named "x" already exists: choose another name',
  });
  const invalid = new ApiError(422, "port: Too small; name: Required", {
    port: "Too small",
    name: "Required",
  });
  assert.deepEqual(formErrors(invalid), { fields: { port: "Too small", name: "Required" }, message: null });
});

Deno.test("formErrors() shows an error without field problems as the form's message", () => {
  assert.deepEqual(formErrors(new ApiError(500, "Request failed (500)")), {
    fields: {},
    message: "Request failed (500)",
  });
  assert.deepEqual(formErrors(new TypeError("Failed to fetch")), { fields: {}, message: "Failed to fetch" });
  assert.deepEqual(formErrors("odd"), { fields: {}, message: "odd" });
});

Deno.test("formErrors() renames the API's field names to the form's", () => {
  const error = new ApiError(422, "expires_at: Must be in the future", {
    expires_at: "Must be in the future",
  });
  assert.deepEqual(formErrors(error, { expires_at: "days" }).fields, { days: "Must be in the future" });
});

Deno.test("clearField() drops an edited field's problem, and the message with the last one", () => {
  const errors = { fields: { name: "Taken", port: "In use" }, message: "Name and port taken" };
  const once = clearField(errors, "name");
  assert.deepEqual(once, { fields: { port: "In use" }, message: "Name and port taken" });
  assert.equal(clearField(once, "port"), NO_ERRORS);
  assert.equal(clearField(errors, "other"), errors, "a field without a problem changes nothing");
  const general = { fields: {}, message: "Cannot reach MLX Manager" };
  assert.equal(clearField(general, "name"), general, "a message about no field stays until the next submit");
});

Deno.test("alertText() says the message, else names the fields to check", () => {
  assert.equal(alertText(NO_ERRORS, (n) => LABELS[n]), null);
  assert.equal(alertText({ fields: { port: "x" }, message: null }, (n) => LABELS[n]), "Check Port");
  assert.equal(alertText({ fields: { name: "x" }, message: "Name taken" }, (n) => LABELS[n]), "Name taken");
});
