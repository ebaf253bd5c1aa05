/**
 * A form in an island: its draft, what is wrong with it (shown the one way
 * {@link ./form_errors.ts} describes), and its submit. Binders give each
 * kind of input the props it takes, so a new field is one line of markup
 * and one key of the draft.
 *
 * @module
 */
import { type Signal, useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { alertText, clearField, type FormErrors, formErrors, NO_ERRORS } from "./form_errors.ts";

type KeysOf<V, T> = { [K in keyof V]: V[K] extends T ? K : never }[keyof V] & string;

/** Options of {@link useForm}. */
export interface FormOptions<V extends object, R> {
  /** The draft the form starts from. */
  initial: V;
  /** Each field's label, for the line above the form ("Check Name"). */
  labels: Readonly<Record<string, string>>;
  /** Sends the draft; what it throws becomes the form's errors. */
  send: (values: V) => Promise<R>;
  /** Runs after a successful send, before the form is ready again. */
  onDone?: (result: R, values: V) => void | Promise<void>;
  /** Problems the form sees without asking the server (which checks again). */
  check?: (values: V) => Record<string, string>;
  /** API field names that differ from the draft's (`{ expires_at: "days" }`). */
  rename?: Readonly<Record<string, keyof V & string>>;
}

/** What {@link useForm} gives an island. */
export interface FormState<V extends object> {
  values: Signal<V>;
  errors: Signal<FormErrors>;
  /** True while the draft is being sent. */
  busy: Signal<boolean>;
  /** The line above the form, or null. */
  alert: string | null;
  /** Changes fields of the draft; their problems go. */
  set(patch: Partial<V>): void;
  /** Starts over from `values` (or the initial draft), with nothing wrong. */
  reset(values?: V): void;
  /** The form's `onSubmit`. */
  submit(event?: Event): Promise<void>;
  /** Props of a `Field` bound to a text key of the draft. */
  text(name: KeysOf<V, string>): TextBinding;
  /** Props of an `AreaField` bound to a text key of the draft. */
  area(name: KeysOf<V, string>): AreaBinding;
  /** Props of a `<select>` bound to a text key of the draft. */
  choice(name: KeysOf<V, string>): ChoiceBinding;
  /** Props of a checkbox bound to a boolean key of the draft. */
  check(name: KeysOf<V, boolean>): CheckBinding;
}

/** What {@link FormState.text} gives a `Field`. */
export interface TextBinding {
  name: string;
  value: string;
  error: string | undefined;
  onInput: (event: JSX.TargetedEvent<HTMLInputElement>) => void;
}

/** What {@link FormState.area} gives an `AreaField`. */
export interface AreaBinding {
  id: string;
  name: string;
  value: string;
  error: string | undefined;
  onInput: (value: string) => void;
}

/** What {@link FormState.choice} gives a `<select>`. */
export interface ChoiceBinding {
  name: string;
  value: string;
  onChange: (event: JSX.TargetedEvent<HTMLSelectElement>) => void;
}

/** What {@link FormState.check} gives a checkbox. */
export interface CheckBinding {
  checked: boolean;
  onChange: (event: JSX.TargetedEvent<HTMLInputElement>) => void;
}

/**
 * Keeps a form's draft, errors and submit.
 *
 * @example
 * ```tsx
 * const form = useForm({
 *   initial: { name: "" },
 *   labels: { name: "Name" },
 *   send: (v) => api("/api/keys", { body: v }),
 *   onDone: () => form.reset(),
 * });
 * <form onSubmit={form.submit}><Field label="Name" {...form.text("name")} /></form>
 * ```
 */
export function useForm<V extends object, R = unknown>(options: FormOptions<V, R>): FormState<V> {
  const { initial, labels, send, onDone, check, rename } = options;
  const values = useSignal<V>(initial);
  const errors = useSignal<FormErrors>(NO_ERRORS);
  const busy = useSignal(false);

  function set(patch: Partial<V>): void {
    values.value = { ...values.value, ...patch };
    let next = errors.value;
    for (const name of Object.keys(patch)) next = clearField(next, name);
    errors.value = next;
  }

  async function submit(event?: Event): Promise<void> {
    event?.preventDefault();
    const local = check?.(values.value) ?? {};
    errors.value = Object.keys(local).length ? { fields: local, message: null } : NO_ERRORS;
    if (errors.value !== NO_ERRORS) return;
    busy.value = true;
    try {
      const sent = values.value;
      // Not `onDone?.(await send(sent))`: without onDone that would never send.
      const answer = await send(sent);
      await onDone?.(answer, sent);
    } catch (error) {
      errors.value = formErrors(error, rename);
    }
    busy.value = false;
  }

  const value = (name: keyof V) => values.value[name] as unknown;
  const error = (name: string) => errors.value.fields[name];
  return {
    values,
    errors,
    busy,
    alert: alertText(errors.value, (name) => labels[name]),
    set,
    reset(next = initial) {
      values.value = next;
      errors.value = NO_ERRORS;
    },
    submit,
    text: (name) => ({
      name,
      value: value(name) as string,
      error: error(name),
      onInput: (e) => set({ [name]: e.currentTarget.value } as Partial<V>),
    }),
    area: (name) => ({
      id: `field-${name}`,
      name,
      value: value(name) as string,
      error: error(name),
      onInput: (text) => set({ [name]: text } as Partial<V>),
    }),
    choice: (name) => ({
      name,
      value: value(name) as string,
      onChange: (e) => set({ [name]: e.currentTarget.value } as Partial<V>),
    }),
    check: (name) => ({
      checked: value(name) as boolean,
      onChange: (e) => set({ [name]: e.currentTarget.checked } as Partial<V>),
    }),
  };
}
