import assert from "node:assert/strict";
import { ApiError } from "../../lib/client/api.ts";
import { type FormState, useForm } from "../../lib/client/form.ts";
import { NO_ERRORS } from "../../lib/client/form_errors.ts";
import { mountHook } from "../helpers/hooks.ts";

interface Draft {
  name: string;
  days: string;
  enabled: boolean;
}

const INITIAL: Draft = { name: "", days: "", enabled: true };

Deno.test("useForm() sends the draft and runs onDone with the answer", async () => {
  const sent: Draft[] = [];
  const done: string[] = [];
  const busyWhileSending: boolean[] = [];
  const form: FormState<Draft> = mountHook(useForm<Draft, string>, {
    initial: INITIAL,
    labels: {},
    send: (values: Draft): Promise<string> => {
      sent.push(values);
      busyWhileSending.push(form.busy.value);
      return Promise.resolve(`created ${values.name}`);
    },
    onDone: (answer) => void done.push(answer),
  });
  form.set({ name: "Editor" });
  await form.submit();
  assert.deepEqual(sent, [{ name: "Editor", days: "", enabled: true }]);
  assert.deepEqual(done, ["created Editor"]);
  assert.deepEqual(busyWhileSending, [true]);
  assert.equal(form.busy.value, false);
  assert.equal(form.errors.value, NO_ERRORS);
});

Deno.test("useForm() keeps a refused submit's field problems, renamed, and drops each as its field changes", async () => {
  const form = mountHook(useForm<Draft>, {
    initial: INITIAL,
    labels: { name: "Name", days: "Expires after (days)" },
    rename: { expires_at: "days" },
    send: () =>
      Promise.reject(
        new ApiError(409, "Name taken", { name: "Already taken", expires_at: "Must be in the future" }),
      ),
  });
  await form.submit();
  assert.deepEqual(form.errors.value, {
    fields: { name: "Already taken", days: "Must be in the future" },
    message: "Name taken",
  });
  assert.equal(form.text("days").error, "Must be in the future");
  form.set({ name: "Other" });
  assert.deepEqual(form.errors.value.fields, { days: "Must be in the future" });
  form.text("days").onInput({ currentTarget: { value: "3" } } as never);
  assert.equal(form.errors.value, NO_ERRORS);
  assert.equal(form.values.value.days, "3");
  assert.equal(form.busy.value, false);
});

Deno.test("useForm() does not send a draft its own check refuses", async () => {
  let sends = 0;
  const form = mountHook(useForm<Draft>, {
    initial: INITIAL,
    labels: {},
    check: (v): Record<string, string> => v.name ? {} : { name: "Name is required" },
    send: () => Promise.resolve(sends++),
  });
  await form.submit();
  assert.equal(sends, 0);
  assert.deepEqual(form.errors.value, { fields: { name: "Name is required" }, message: null });
  form.set({ name: "x" });
  await form.submit();
  assert.equal(sends, 1);
});

Deno.test("useForm() binders read and write the draft, and reset starts over", () => {
  const form = mountHook(useForm<Draft>, { initial: INITIAL, labels: {}, send: () => Promise.resolve() });
  const prevented: boolean[] = [];
  form.check("enabled").onChange({ currentTarget: { checked: false } } as never);
  form.area("name").onInput("multi\nline");
  form.choice("days").onChange({ currentTarget: { value: "7" } } as never);
  assert.deepEqual(form.values.value, { name: "multi\nline", days: "7", enabled: false });
  assert.equal(form.area("name").id, "field-name");
  form.reset({ ...INITIAL, name: "copy" });
  assert.equal(form.text("name").value, "copy");
  form.reset();
  assert.deepEqual(form.values.value, INITIAL);
  void form.submit({ preventDefault: () => prevented.push(true) } as unknown as Event);
  assert.deepEqual(prevented, [true], "submit keeps the browser from posting the page");
});
