import { Field } from "../ui/Field.tsx";

/** Props of {@link ModelPathInput}. */
export interface ModelPathInputProps {
  value: string;
  onInput: (value: string) => void;
  /** Model ids or folders to offer (local models, for instance). */
  suggestions: string[];
  error?: string;
}

/** The model field of a profile: free text with suggestions. */
export function ModelPathInput({ value, onInput, suggestions, error }: ModelPathInputProps) {
  return (
    <>
      <Field
        label="Model"
        name="model_path"
        required
        list="model-suggestions"
        autoComplete="off"
        spellcheck={false}
        placeholder="mlx-community/Qwen3-8B-4bit"
        hint="A Hugging Face repo id (org/name) or the absolute path of a model folder"
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        error={error}
      />
      <datalist id="model-suggestions">
        {suggestions.map((s) => <option key={s} value={s} />)}
      </datalist>
    </>
  );
}
