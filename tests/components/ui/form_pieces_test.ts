import assert from "node:assert/strict";
import { h, type VNode } from "preact";
import { signal } from "@preact/signals";
import { renderToString } from "preact-render-to-string";
import { parseHTML } from "linkedom";
import { AreaField, BoundField, BoundInput, EmailField } from "../../../components/ui/Field.tsx";
import { FormActions, RowButton, SubmitButton } from "../../../components/ui/Buttons.tsx";

function render<P>(node: VNode<P>) {
  return parseHTML(`<!DOCTYPE html><html><body>${renderToString(node as VNode)}</body></html>`).document;
}

Deno.test("BoundField shows its signal's value, with the error linked in place of the hint", () => {
  const bind = signal("ada@example.com");
  const plain = render(h(BoundField, { label: "Name", name: "name", bind, hint: "Any name" }));
  assert.equal(plain.querySelector("input")!.getAttribute("value"), "ada@example.com");
  assert.equal(plain.querySelector("input")!.getAttribute("aria-describedby"), "field-name-hint");
  const failed = render(
    h(BoundField, { label: "Name", name: "name", bind, hint: "Any name", error: "Taken" }),
  );
  assert.equal(failed.querySelector("[data-testid=error-name]")!.textContent, "Taken");
  assert.equal(failed.querySelector(".hint"), null);
  assert.equal(failed.querySelector("input")!.getAttribute("aria-invalid"), "true");
});

Deno.test("EmailField is the account email input, required, and BoundInput keeps a class it is given", () => {
  const input = render(h(EmailField, { bind: signal("") })).querySelector("input")!;
  assert.equal(input.getAttribute("type"), "email");
  assert.equal(input.getAttribute("name"), "email");
  assert.equal(input.getAttribute("autocomplete"), "username");
  assert.ok(input.hasAttribute("required"));
  const bare = render(h(BoundInput, { bind: signal("q"), "aria-label": "Search" })).querySelector("input")!;
  assert.equal(bare.getAttribute("class"), "input");
  assert.equal(bare.getAttribute("value"), "q");
  const styled = render(h(BoundInput, { bind: signal(""), class: "input max-w-xs" })).querySelector("input")!;
  assert.equal(styled.getAttribute("class"), "input max-w-xs");
});

Deno.test("AreaField labels its text area and shows the error instead of the hint", () => {
  const props = {
    id: "mcp-args",
    label: "Arguments",
    value: "run\n-A",
    onInput: () => {},
    hint: "One per line",
  };
  const doc = render(h(AreaField, { ...props, mono: true }));
  assert.equal(doc.querySelector("label")!.getAttribute("for"), "mcp-args");
  assert.equal(doc.querySelector("textarea")!.getAttribute("rows"), "3");
  assert.match(doc.querySelector("textarea")!.getAttribute("class")!, /\bmono\b/);
  assert.equal(doc.querySelector(".hint")!.textContent, "One per line");
  const failed = render(h(AreaField, { ...props, error: "Cannot read line 2" }));
  assert.equal(failed.querySelector(".field-error")!.textContent, "Cannot read line 2");
  assert.equal(failed.querySelector(".hint"), null);
  assert.match(failed.querySelector("textarea")!.getAttribute("class")!, /input-error/);
});

Deno.test("FormActions disables only its submit button while busy", () => {
  const doc = render(
    h(FormActions, { submitLabel: "Rename", onCancel: () => {}, busy: true, submitTestId: "save" }),
  );
  const [cancel, submit] = [...doc.querySelectorAll("button")];
  assert.equal(cancel.textContent, "Cancel");
  assert.equal(cancel.hasAttribute("disabled"), false);
  assert.equal(submit.getAttribute("type"), "submit");
  assert.equal(submit.getAttribute("data-testid"), "save");
  assert.ok(submit.hasAttribute("disabled"));
});

Deno.test("SubmitButton says it is working while busy and waits for the island to hydrate", () => {
  const props = { label: "Sign in", busyLabel: "Signing in…" };
  const busy = render(h(SubmitButton, { ...props, busy: true, ready: true })).querySelector("button")!;
  assert.equal(busy.textContent, "Signing in…");
  assert.ok(busy.hasAttribute("disabled"));
  const early = render(h(SubmitButton, { ...props, busy: false, ready: false })).querySelector("button")!;
  assert.equal(early.textContent, "Sign in");
  assert.ok(early.hasAttribute("disabled"));
  const ready = render(h(SubmitButton, { ...props, busy: false, ready: true })).querySelector("button")!;
  assert.equal(ready.hasAttribute("disabled"), false);
});

Deno.test("RowButton is a quiet button, red when it destroys something", () => {
  const edit = render(h(RowButton, { children: "Edit" })).querySelector("button")!;
  assert.equal(edit.getAttribute("type"), "button");
  assert.equal(edit.getAttribute("class"), "btn btn-ghost");
  const remove = render(h(RowButton, { danger: true, disabled: true, children: "Remove" })).querySelector(
    "button",
  )!;
  assert.equal(remove.getAttribute("class"), "btn btn-ghost text-rose-600");
  assert.ok(remove.hasAttribute("disabled"));
});
