import type { ComponentChildren } from "preact";
import { Field } from "../ui/Field.tsx";
import { CheckField, SelectField, TextAreaField } from "./Controls.tsx";
import {
  fieldSpec,
  type ProfileChoices,
  type ProfileFieldName,
  type ProfileFormValues,
} from "../../lib/profile_fields.ts";
import { fieldHint } from "../../lib/profile_form.ts";

/** How the model types read in the select. */
const MODEL_TYPE_LABELS: Record<string, string> = {
  lm: "Language model (lm)",
  multimodal: "Multimodal, vision (multimodal)",
  "image-generation": "Image generation",
  "image-edit": "Image editing",
  embeddings: "Embeddings",
  whisper: "Speech to text (whisper)",
};

/** Props of {@link ProfileField}. */
export interface ProfileFieldProps {
  name: ProfileFieldName;
  values: ProfileFormValues;
  choices: ProfileChoices;
  error?: string;
  onChange: (name: ProfileFieldName, value: string | boolean) => void;
  /** Replaces the declared hint (for hints that depend on the value or the installed server). */
  hint?: ComponentChildren;
}

/**
 * One input of the profile form, drawn from the field's declaration in
 * `lib/profile_fields.ts`: its kind picks the control, its limits the input's
 * bounds, its default the hint.
 */
export function ProfileField({ name, values, choices, error, onChange, hint }: ProfileFieldProps) {
  const spec = fieldSpec(name);
  const value = values[name];
  const declared = fieldHint(name);
  const input = (e: { currentTarget: { value: string } }) => onChange(name, e.currentTarget.value);
  switch (spec.kind) {
    case "boolean":
      return (
        <CheckField
          label={spec.label}
          name={name}
          checked={value as boolean}
          onChange={(x) => onChange(name, x)}
          error={error}
          hint={declared}
        />
      );
    case "choice": {
      const list = choices[spec.list];
      const options = list.map((x) => ({
        value: x,
        label: name === "model_type" ? MODEL_TYPE_LABELS[x] ?? x : x,
      }));
      const empty = list.length === 0;
      return (
        <SelectField
          label={spec.label}
          name={name}
          options={spec.default === null ? [{ value: "", label: "Default (none)" }, ...options] : options}
          value={value as string}
          onChange={input}
          error={error}
          disabled={empty && value === ""}
          hint={empty ? "This server version has no options here" : declared}
        />
      );
    }
    case "longtext":
      return (
        <div class="sm:col-span-2">
          <TextAreaField
            label={spec.label}
            name={name}
            rows={4}
            maxLength={spec.max}
            placeholder={spec.placeholder}
            value={value as string}
            onInput={input}
            error={error}
            hint={hint ?? declared}
          />
        </div>
      );
    default: {
      const required = !("default" in spec) || spec.default === undefined;
      const number = spec.kind === "number";
      return (
        <Field
          label={spec.label}
          name={name}
          type={number ? "number" : "text"}
          required={required}
          min={number ? spec.min : undefined}
          max={number ? spec.max : undefined}
          step={number ? spec.step : undefined}
          maxLength={spec.kind === "text" ? spec.max : undefined}
          placeholder={"placeholder" in spec ? spec.placeholder : undefined}
          value={value as string}
          onInput={input}
          error={error}
          hint={typeof hint === "string" ? hint : declared}
        />
      );
    }
  }
}
