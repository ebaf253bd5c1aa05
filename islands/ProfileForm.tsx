import type { ComponentChildren } from "preact";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { api, ApiError, errorMessage } from "../lib/client/api.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { Alert } from "../components/ui/Field.tsx";
import { fieldsSummary } from "../lib/client/form_errors.ts";
import { toastOnNextPage } from "../lib/client/toast.ts";
import { ProfileField } from "../components/profiles/ProfileField.tsx";
import { FormSection } from "../components/profiles/FormSection.tsx";
import { DraftModelPicker } from "../components/profiles/DraftModelPicker.tsx";
import {
  fieldSpec,
  PROFILE_FIELD_NAMES,
  PROFILE_SECTIONS,
  type ProfileChoices,
  type ProfileFieldName,
  type ProfileFormValues,
  type ProfileSection,
} from "../lib/profile_fields.ts";
import { fieldHint, fieldShown, formBody } from "../lib/profile_form.ts";
import { concurrencyHint, defaultConcurrency, type ServerFeatures } from "../lib/server_features.ts";
import { ModelPathField } from "../components/profiles/ModelPathField.tsx";
import type { LocalModel } from "../lib/model_types.ts";
import { useParserSuggestions } from "../lib/client/profile_suggestions.ts";

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
  /** What the installed server can do: the fields the form shows, what concurrency means. */
  features: ServerFeatures;
  /** Messages about values of the link that could not be used. */
  notices: string[];
  /** Shown, not saved: only admins change profiles. */
  readOnly?: boolean;
}

/** The fields of a section, in declaration order. */
const inSection = (section: ProfileSection) =>
  PROFILE_FIELD_NAMES.filter((n) => fieldSpec(n).section === section);
const BASIC = inSection("basic");
/** The folding sections after the basic fields. */
const FOLDED = (["sampling", "performance", "advanced"] as const).map((s) => [s, inSection(s)] as const);

/**
 * Creates or edits a profile: basic fields first, then the server's options
 * in folding sections, each field shown only when the installed server takes
 * it (or it holds a setting to clear).
 */
export default function ProfileForm(props: ProfileFormProps) {
  const { profileId, choices, server, features } = props;
  const hydrated = useHydrated();
  const values = useSignal(props.values);
  const errors = useSignal<Record<string, string>>({});
  const message = useSignal<string | null>(null);
  const saving = useSignal(false);
  const opened = useSignal<Partial<Record<ProfileSection, boolean>>>({});
  const local = useSignal<LocalModel[]>([]);
  /** The repository the model field names when detection found it missing from the cache. */
  const missing = useSignal<string | null>(null);
  const v = values.value;
  useEffect(() => {
    api<LocalModel[]>("/api/models/local").then((list) => local.value = list).catch(() => {});
  }, []);

  const set = <K extends keyof ProfileFormValues>(key: K, value: ProfileFormValues[K]) => {
    values.value = { ...values.value, [key]: value };
  };

  useParserSuggestions(values, choices, hydrated, missing);

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
    // A concurrency left at its default follows the type: only some types are batched.
    const before = values.value;
    set(name, value as never);
    const follows = name === "model_type" || name === "draft_model_path";
    if (follows && before.max_concurrency === String(defaultConcurrency(features, before))) {
      set("max_concurrency", String(defaultConcurrency(features, values.value)));
    }
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
      const open = { ...opened.value };
      for (const f of Object.keys(fields)) {
        if (PROFILE_FIELD_NAMES.includes(f as ProfileFieldName)) {
          open[fieldSpec(f as ProfileFieldName).section] = true;
        }
      }
      opened.value = open;
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
  const field = (name: ProfileFieldName, hint?: ComponentChildren) =>
    name === "draft_model_path"
      ? (
        <div class="sm:col-span-2" key={name}>
          <DraftModelPicker
            value={v.draft_model_path}
            main={v.model_path}
            models={local.value}
            error={errors.value.draft_model_path}
            onInput={(x) => change("draft_model_path", x)}
          />
        </div>
      )
      : (
        <ProfileField
          key={name}
          name={name}
          values={v}
          choices={choices}
          error={errors.value[name]}
          onChange={change}
          hint={hint ?? (name === "max_concurrency" ? concurrencyHint(features) : undefined)}
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
        {BASIC.filter((n) => fieldShown(n, v, features)).map((name) =>
          name === "model_path"
            ? (
              <ModelPathField
                key={name}
                value={v.model_path}
                models={local.value}
                onInput={pickModel}
                error={errors.value.model_path}
                missing={missing}
                readOnly={props.readOnly}
              />
            )
            : (
              field(name, name === "system_prompt" ? promptHint : undefined)
            )
        )}
      </fieldset>

      {FOLDED.map(([section, names]) => {
        const shown = names.filter((n) => fieldShown(n, v, features));
        if (shown.length === 0) return null;
        const note = section === "advanced" && server.version
          ? `options of mlx-openai-server ${server.version}`
          : null;
        return (
          <FormSection
            key={section}
            name={section}
            title={PROFILE_SECTIONS[section]}
            note={note}
            open={opened.value[section] === true}
            onToggle={(open) => opened.value = { ...opened.value, [section]: open }}
          >
            {shown.map((name) => field(name))}
          </FormSection>
        );
      })}

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
