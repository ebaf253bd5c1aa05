import type { Signal } from "@preact/signals";
import { useSignal } from "@preact/signals";
import { LocalModelPicker } from "../models/LocalModelPicker.tsx";
import { ModelNotDownloaded } from "./ModelNotDownloaded.tsx";
import { useDownloads } from "../../lib/client/downloads.ts";
import type { LocalModel } from "../../lib/model_types.ts";

/** Props of {@link ModelPathField}. */
export interface ModelPathFieldProps {
  value: string;
  models: LocalModel[];
  error?: string;
  onInput: (path: string, model: LocalModel | null) => void;
  /** The repository the field names when detection found it missing from the cache. */
  missing: Signal<string | null>;
  readOnly?: boolean;
}

/**
 * The profile form's model: the local models offered, and a repository that
 * is not downloaded flagged with a Download button and its progress. Use
 * inside an island.
 */
export function ModelPathField({ value, models, error, onInput, missing, readOnly }: ModelPathFieldProps) {
  const fetching = useSignal(false);
  const downloads = useDownloads([], (d) => {
    if (d.status === "completed" && d.model_id === missing.value) missing.value = null;
  });
  return (
    <div class="sm:col-span-2">
      <LocalModelPicker
        models={models}
        value={value}
        onInput={onInput}
        error={error}
        flagged={missing.value !== null && !readOnly}
      />
      {missing.value && !readOnly && (
        <div class="mt-2">
          <ModelNotDownloaded
            modelId={missing.value}
            download={downloads.list.value.find((d) => d.model_id === missing.value) ?? null}
            busy={fetching.value}
            onDownload={async () => {
              fetching.value = true;
              await downloads.start(missing.value!);
              fetching.value = false;
            }}
            onAction={downloads.act}
          />
        </div>
      )}
    </div>
  );
}
