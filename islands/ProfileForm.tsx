import type { ComponentChildren } from "preact";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { api, ApiError, errorMessage } from "../lib/client/api.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { Alert } from "../components/ui/Field.tsx";
import { fieldsSummary } from "../lib/client/form_errors.ts";
import { toastOnNextPage } from "../lib/client/toast.ts";
import { ProfileField } from "../components/profiles/ProfileField.tsx";
import {
  fieldHint,
  fieldSpec,
  formBody,
  PROFILE_FIELD_NAMES,
  type ProfileChoices,
  type ProfileFieldName,
  type ProfileFormValues,
} from "../lib/profile_fields.ts";
import { LocalModelPicker } from "../components/models/LocalModelPicker.tsx";
import { ModelNotDownloaded } from "../components/profiles/ModelNotDownloaded.tsx";
import { useDownloads } from "../lib/client/downloads.ts";
import type { LocalModel, ParserSuggestion } from "../lib/model_types.ts";

export type { ProfileFormValues } from "../lib/profile_fields.ts";

/** The choice lists of the installed server. */
export type ProfileFormChoices = ProfileChoices;

/** Props of {@link ProfileForm}. */
export interface ProfileFormProps {
  /** The profile being edited; absent for a new one. */
  profileId?: number;
  values: ProfileFormValues;
  choices: ProfileFormChoices;
  /** The installed server's version, or why it is missing. */
  server: { installed: boolean; version: string | null; error: string | null };
  /** Messages about values of the link that could not be used. */
  notices: string[];
  /** Shown, not saved: only admins change profiles. */
  readOnly?: boolean;
}

/** The fields of each section, in declaration order. */
const BASIC = PROFILE_FIELD_NAMES.filter((n) => fieldSpec(n).section === "basic");
const ADVANCED = PROFILE_FIELD_NAMES.filter((n) => fieldSpec(n).section === "advanced");

/** Creates or edits a profile: basic fields first, the server's options under Advanced. */
export default function ProfileForm(props: ProfileFormProps) {
  const { profileId, choices, server } = props;
  const hydrated = useHydrated();
  const values = useSignal(props.values);
  const errors = useSignal<Record<string, string>>({});
  const message = useSignal<string | null>(null);
  const saving = useSignal(false);
  const advanced = useSignal(false);
  /** The repository the model field names when detection found it missing from the cache. */
  const missing = useSignal<string | null>(null);
  const fetching = useSignal(false);
  const downloads = useDownloads([], (d) => {
    if (d.status === "completed" && d.model_id === missing.value) missing.value = null;
  });
  const v = values.value;

  const set = <K extends keyof ProfileFormValues>(key: K, value: ProfileFormValues[K]) => {
    values.value = { ...values.value, [key]: value };
  };

  // Suggest parsers for the model once its path stops changing; only empty fields are filled.
  useEffect(() => {
    const path = v.model_path.trim();
    if (!hydrated || !/^([\w.-]+\/[\w.-]+|\/.+)$/.test(path)) {
      missing.value = null;
      return;
    }
    const timer = setTimeout(async () => {
      try {
        // An absolute folder gives "detect-options//path", which the route reads as a folder.
        const detected = await api<{ recommended_options: ParserSuggestion; is_downloaded: boolean }>(
          `/api/models/detect-options/${encodeURI(path)}`,
        );
        // A folder is the admin's to fill; a repository missing from the cache can be downloaded here.
        missing.value = !path.startsWith("/") && !detected.is_downloaded ? path : null;
        const next = { ...values.value };
        const offer = (key: keyof ParserSuggestion, list: string[]) => {
          const option = detected.recommended_options[key];
          if (option && next[key] === "" && list.includes(option)) next[key] = option;
        };
        offer("tool_call_parser", choices.tool_call_parsers);
        offer("reasoning_parser", choices.reasoning_parsers);
        offer("message_converter", choices.message_converters);
        values.value = next;
      } catch { /* suggestions are optional */ }
    }, 500);
    return () => clearTimeout(timer);
  }, [v.model_path, hydrated]);

  const pickModel = (path: string, model: LocalModel | null) => {
    const next = { ...values.value, model_path: path };
    // A vision model picked from the local list runs as multimodal unless the type was changed already.
    if (
      model?.characteristics?.is_multimodal && next.model_type === "lm" &&
      choices.model_types.includes("multimodal")
    ) {
      next.model_type = "multimodal";
    }
    values.value = next;
  };
  // A field's error goes as soon as the field changes; the others stay until the next save.
  const change = (name: ProfileFieldName, value: string | boolean) => {
    set(name, value as never);
    if (errors.value[name]) {
      const { [name]: _, ...rest } = errors.value;
      errors.value = rest;
    }
  };

  async function submit(event: Event) {
    event.preventDefault();
    saving.value = true;
    errors.value = {};
    message.value = null;
    try {
      const saved = await api<{ name: string; pending_restart?: boolean }>(
        profileId ? `/api/profiles/${profileId}` : "/api/profiles",
        { method: profileId ? "PUT" : "POST", body: formBody(values.value) },
      );
      // An edit of a running server applies at its restart: the Servers page offers it.
      if (saved.pending_restart) {
        toastOnNextPage(`Saved — restart to apply: ${saved.name} runs its old settings`);
      }
      location.href = saved.pending_restart ? "/servers" : "/profiles";
      return;
    } catch (error) {
      const fields = error instanceof ApiError ? error.fields : {};
      errors.value = fields;
      // A model the save found missing (a typo) is not one to download: its field says why.
      if (fields.model_path) missing.value = null;
      if (Object.keys(fields).some((f) => ADVANCED.includes(f as ProfileFieldName))) advanced.value = true;
      // Field problems are named in the summary below, which shrinks as each is fixed.
      if (Object.keys(fields).length === 0) message.value = errorMessage(error);
    }
    saving.value = false;
  }

  const summary = fieldsSummary(
    errors.value,
    (name) =>
      PROFILE_FIELD_NAMES.includes(name as ProfileFieldName)
        ? fieldSpec(name as ProfileFieldName).label
        : undefined,
  );
  const promptLength = v.system_prompt.length;
  const promptHint = (
    <>
      {fieldHint("system_prompt")}
      {promptLength > 0 && ` ${promptLength} characters.`}
      {promptLength > 2000 && <span class="text-amber-600">A long prompt slows every answer.</span>}
    </>
  );
  const field = (name: ProfileFieldName, hint?: ComponentChildren) => (
    <ProfileField
      key={name}
      name={name}
      values={v}
      choices={choices}
      error={errors.value[name]}
      onChange={change}
      hint={hint}
    />
  );

  return (
    <form
      class="flex flex-col gap-6"
      onSubmit={submit}
      data-testid="profile-form"
      data-hydrated={hydrated ? "" : undefined}
      noValidate
    >
      {props.readOnly && <Alert kind="info">Only an admin can change profiles.</Alert>}
      {!server.installed && (
        <Alert kind="info">
          {server.error} You can still save profiles; the lists below are those of mlx-openai-server 1.5.1.
        </Alert>
      )}
      {props.notices.map((n) => <Alert key={n} kind="info">{n}</Alert>)}
      {(message.value ?? summary) && <Alert kind="error">{message.value ?? summary}</Alert>}

      <fieldset class="card grid gap-4 sm:grid-cols-2">
        <legend class="sr-only">Basic settings</legend>
        {BASIC.map((name) =>
          name === "model_path"
            ? (
              <div class="sm:col-span-2" key={name}>
                <LocalModelPicker
                  value={v.model_path}
                  onInput={pickModel}
                  error={errors.value.model_path}
                  flagged={missing.value !== null && !props.readOnly}
                />
                {missing.value && !props.readOnly && (
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
            )
            : (
              field(name, name === "system_prompt" ? promptHint : undefined)
            )
        )}
      </fieldset>

      <details
        class="card"
        open={advanced.value}
        onToggle={(e) => advanced.value = (e.currentTarget as HTMLDetailsElement).open}
      >
        <summary class="cursor-pointer font-medium" data-testid="advanced-toggle">
          Advanced {server.version
            ? <span class="muted text-sm">(options of mlx-openai-server {server.version})</span>
            : null}
        </summary>
        <div class="mt-4 grid gap-4 sm:grid-cols-2">
          {ADVANCED.map((name) => field(name))}
        </div>
      </details>

      <div class="flex justify-end gap-2">
        <a href="/profiles" class="btn btn-secondary">{props.readOnly ? "Back" : "Cancel"}</a>
        {!props.readOnly && (
          <button type="submit" class="btn btn-primary" disabled={!hydrated || saving.value}>
            {saving.value ? "Saving…" : profileId ? "Save profile" : "Create profile"}
          </button>
        )}
      </div>
    </form>
  );
}
