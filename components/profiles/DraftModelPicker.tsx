import { formatBytes } from "../../lib/format.ts";
import type { LocalModel } from "../../lib/model_types.ts";
import { draftCandidates } from "../../lib/draft_models.ts";
import { fieldHint } from "../../lib/profile_form.ts";

/** Props of {@link DraftModelPicker}. */
export interface DraftModelPickerProps {
  /** The draft model: a repo id, a folder, or empty. */
  value: string;
  /** The main model of the profile, whose family the draft must share. */
  main: string;
  models: readonly LocalModel[];
  error?: string;
  onInput: (value: string) => void;
}

/**
 * The Draft model field: free text with the local models of the main
 * model's family offered, smallest first. A repository that is not
 * downloaded is fetched by Run together with the main model.
 */
export function DraftModelPicker({ value, main, models, error, onInput }: DraftModelPickerProps) {
  const id = "field-draft_model_path";
  const candidates = draftCandidates(main, models);
  const path = value.trim();
  const local = models.some((m) => m.model_id === path || m.local_path === path);
  const note = !path
    ? candidates.length
      ? `${candidates.length} downloaded model${candidates.length > 1 ? "s" : ""} of this family can draft.`
      : "No downloaded model of this family is smaller than it."
    : local || path.startsWith("/")
    ? null
    : "Not downloaded yet: Run downloads it together with the model.";
  return (
    <div data-testid="draft-model-picker">
      <label class="label" for={id}>Draft model</label>
      <input
        id={id}
        name="draft_model_path"
        class={`input ${error ? "input-error" : ""}`}
        list={`${id}-options`}
        value={value}
        placeholder="A small model of the same family"
        autoComplete="off"
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      <datalist id={`${id}-options`}>
        {candidates.map((m) => (
          <option key={m.model_id} value={m.model_id}>{formatBytes(m.weights_bytes)}</option>
        ))}
      </datalist>
      {error
        ? <p id={`${id}-error`} class="field-error" data-testid="error-draft_model_path">{error}</p>
        : (
          <p id={`${id}-hint`} class="hint">
            {note && <span data-testid="draft-note">{note}</span>} {fieldHint("draft_model_path")}
          </p>
        )}
    </div>
  );
}
