import { useEffect, useState } from "preact/hooks";
import { api } from "../../lib/client/api.ts";
import { formatBytes } from "../../lib/format.ts";
import type { LocalModel } from "../../lib/model_types.ts";
import { ModelBadges } from "./Badges.tsx";

/** Props of {@link LocalModelPicker}. */
export interface LocalModelPickerProps {
  /** The model path: a repository id or an absolute folder. */
  value: string;
  /** Called as the user types or picks; `model` is the local model it names, if any. */
  onInput: (value: string, model: LocalModel | null) => void;
  /** The local models; fetched from `/api/models/local` when not given. */
  models?: LocalModel[];
  name?: string;
  error?: string;
  /** The form flags a model that is not downloaded itself (with a Download button): no hint then. */
  flagged?: boolean;
}

/**
 * The model field of the profile form: free text (a repository id or a
 * folder) with the local models offered as suggestions, and what is known
 * about the chosen one. Use inside an island.
 */
export function LocalModelPicker(
  { value, onInput, models: given, name = "model_path", error, flagged = false }: LocalModelPickerProps,
) {
  const [fetched, setModels] = useState<LocalModel[]>([]);
  useEffect(() => {
    if (given) return;
    api<LocalModel[]>("/api/models/local").then(setModels).catch(() => {});
  }, [given === undefined]);
  const models = given ?? fetched;
  const id = `field-${name}`;
  const find = (v: string) => models.find((m) => m.model_id === v || m.local_path === v) ?? null;
  const chosen = find(value.trim());
  return (
    <div data-testid="local-model-picker">
      <label class="label" for={id}>Model</label>
      <input
        id={id}
        name={name}
        class={`input ${error ? "input-error" : ""}`}
        list={`${id}-options`}
        value={value}
        placeholder="mlx-community/Qwen3-8B-4bit or /path/to/model"
        autoComplete="off"
        aria-invalid={error ? "true" : undefined}
        onInput={(e) => onInput(e.currentTarget.value, find(e.currentTarget.value.trim()))}
      />
      <datalist id={`${id}-options`}>
        {models.map((m) => (
          <option key={m.model_id} value={m.model_id}>
            {formatBytes(m.size_bytes)}
          </option>
        ))}
      </datalist>
      {error && <p class="field-error">{error}</p>}
      {!error && chosen && (
        <div class="mt-1 space-y-1">
          <p class="hint">Downloaded · {formatBytes(chosen.size_bytes)}</p>
          <ModelBadges c={chosen.characteristics} />
        </div>
      )}
      {!error && !chosen && !flagged && value.trim() && !value.trim().startsWith("/") && (
        <p class="hint">
          Not downloaded yet: the server downloads it when it first starts, or{" "}
          <a class="underline" href="/models">download it from the Models page</a>.
        </p>
      )}
    </div>
  );
}
