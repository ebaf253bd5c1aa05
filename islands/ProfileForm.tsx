import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { api, ApiError, errorMessage } from "../lib/client/api.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { Alert, Field } from "../components/ui/Field.tsx";
import { CheckField, SelectField, TextAreaField } from "../components/profiles/Controls.tsx";
import { LocalModelPicker } from "../components/models/LocalModelPicker.tsx";
import type { LocalModel, ParserSuggestion } from "../lib/model_types.ts";

/** Every field of the form, as the inputs hold them (numbers as text). */
export interface ProfileFormValues {
  name: string;
  description: string;
  model_path: string;
  model_type: string;
  port: string;
  host: string;
  context_length: string;
  max_concurrency: string;
  queue_timeout: string;
  queue_size: string;
  tool_call_parser: string;
  reasoning_parser: string;
  message_converter: string;
  enable_auto_tool_choice: boolean;
  trust_remote_code: boolean;
  chat_template_file: string;
  log_level: string;
  auto_start: boolean;
  restart_on_crash: boolean;
  system_prompt: string;
  /** Other names for `/v1`, separated by commas. */
  aliases: string;
  idle_timeout: string;
  keep_loaded: boolean;
}

/** The choice lists of the installed server. */
export interface ProfileFormChoices {
  model_types: string[];
  tool_call_parsers: string[];
  reasoning_parsers: string[];
  message_converters: string[];
  log_levels: string[];
}

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
}

const NUMBERS = [
  "port",
  "context_length",
  "max_concurrency",
  "queue_timeout",
  "queue_size",
  "idle_timeout",
] as const;
const OPTIONAL_TEXT = [
  "description",
  "tool_call_parser",
  "reasoning_parser",
  "message_converter",
  "chat_template_file",
  "system_prompt",
] as const;
const ADVANCED = new Set([
  "host",
  "context_length",
  "max_concurrency",
  "queue_timeout",
  "queue_size",
  "tool_call_parser",
  "reasoning_parser",
  "message_converter",
  "enable_auto_tool_choice",
  "trust_remote_code",
  "chat_template_file",
  "log_level",
]);

/** The request body: numbers as numbers, empty optional fields as null (which clears them). */
function toBody(v: ProfileFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = { ...v };
  for (const key of NUMBERS) {
    const text = v[key].trim();
    body[key] = text === "" ? null : Number(text);
  }
  for (const key of OPTIONAL_TEXT) {
    body[key] = v[key].trim() === "" ? null : v[key];
  }
  body.aliases = v.aliases.split(",").map((a) => a.trim()).filter((a) => a !== "");
  return body;
}

const MODEL_TYPE_LABELS: Record<string, string> = {
  lm: "Language model (lm)",
  multimodal: "Multimodal, vision (multimodal)",
  "image-generation": "Image generation",
  "image-edit": "Image editing",
  embeddings: "Embeddings",
  whisper: "Speech to text (whisper)",
};

/** Creates or edits a profile: basic fields first, the server's options under Advanced. */
export default function ProfileForm(props: ProfileFormProps) {
  const { profileId, choices, server } = props;
  const hydrated = useHydrated();
  const values = useSignal(props.values);
  const errors = useSignal<Record<string, string>>({});
  const message = useSignal<string | null>(null);
  const saving = useSignal(false);
  const advanced = useSignal(false);
  const v = values.value;

  const set = <K extends keyof ProfileFormValues>(key: K, value: ProfileFormValues[K]) => {
    values.value = { ...values.value, [key]: value };
  };

  // Suggest parsers for the model once its path stops changing; only empty fields are filled.
  useEffect(() => {
    const path = v.model_path.trim();
    if (!hydrated || !/^([\w.-]+\/[\w.-]+|\/.+)$/.test(path)) return;
    const timer = setTimeout(async () => {
      try {
        // An absolute folder gives "detect-options//path", which the route reads as a folder.
        const detected = await api<{ recommended_options: ParserSuggestion }>(
          `/api/models/detect-options/${encodeURI(path)}`,
        );
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
  const text = (key: keyof ProfileFormValues) => (e: { currentTarget: { value: string } }) =>
    set(key, e.currentTarget.value as never);
  const pick = (list: string[], none = "Default (none)") => [
    { value: "", label: none },
    ...list.map((x) => ({ value: x, label: x })),
  ];

  async function submit(event: Event) {
    event.preventDefault();
    saving.value = true;
    errors.value = {};
    message.value = null;
    try {
      await api(profileId ? `/api/profiles/${profileId}` : "/api/profiles", {
        method: profileId ? "PUT" : "POST",
        body: toBody(values.value),
      });
      location.href = "/profiles";
      return;
    } catch (error) {
      if (error instanceof ApiError) {
        errors.value = error.fields;
        if (Object.keys(error.fields).some((f) => ADVANCED.has(f))) advanced.value = true;
      }
      message.value = errorMessage(error);
    }
    saving.value = false;
  }

  const promptLength = v.system_prompt.length;
  return (
    <form
      class="flex flex-col gap-6"
      onSubmit={submit}
      data-testid="profile-form"
      data-hydrated={hydrated ? "" : undefined}
      noValidate
    >
      {!server.installed && (
        <Alert kind="info">
          {server.error} You can still save profiles; the lists below are those of mlx-openai-server 1.5.1.
        </Alert>
      )}
      {props.notices.map((n) => <Alert key={n} kind="info">{n}</Alert>)}
      {message.value && <Alert kind="error">{message.value}</Alert>}

      <fieldset class="card grid gap-4 sm:grid-cols-2">
        <legend class="sr-only">Basic settings</legend>
        <Field
          label="Name"
          name="name"
          required
          maxLength={100}
          placeholder="Coding assistant"
          value={v.name}
          onInput={text("name")}
          error={errors.value.name}
        />
        <Field
          label="Port"
          name="port"
          type="number"
          required
          min={1024}
          max={65535}
          hint="The next free port is filled in"
          value={v.port}
          onInput={text("port")}
          error={errors.value.port}
        />
        <div class="sm:col-span-2">
          <LocalModelPicker value={v.model_path} onInput={pickModel} error={errors.value.model_path} />
        </div>
        <SelectField
          label="Model type"
          name="model_type"
          options={choices.model_types.map((t) => ({ value: t, label: MODEL_TYPE_LABELS[t] ?? t }))}
          value={v.model_type}
          onChange={text("model_type")}
          error={errors.value.model_type}
          hint="Default: lm"
        />
        <Field
          label="Description"
          name="description"
          maxLength={2000}
          placeholder="Optional"
          value={v.description}
          onInput={text("description")}
          error={errors.value.description}
        />
        <div class="sm:col-span-2">
          <TextAreaField
            label="System prompt"
            name="system_prompt"
            rows={4}
            placeholder="You are a helpful coding assistant."
            value={v.system_prompt}
            onInput={text("system_prompt")}
            error={errors.value.system_prompt}
            hint={
              <>
                Sent as the first message when chatting with this profile.
                {promptLength > 0 && ` ${promptLength} characters.`}
                {promptLength > 2000 && <span class="text-amber-600">A long prompt slows every answer.</span>}
              </>
            }
          />
        </div>
        <CheckField
          label="Start with MLX Manager"
          name="auto_start"
          checked={v.auto_start}
          onChange={(x) => set("auto_start", x)}
          hint="Starts this server whenever the manager starts"
        />
        <CheckField
          label="Restart after a crash"
          name="restart_on_crash"
          checked={v.restart_on_crash}
          onChange={(x) => set("restart_on_crash", x)}
          hint="With growing delays; gives up after 5 crashes in 10 minutes"
        />
        <Field
          label="Other names (aliases)"
          name="aliases"
          value={v.aliases}
          onInput={text("aliases")}
          error={errors.value.aliases}
          hint="Comma-separated names that clients may send as the model, e.g. gpt-4o-mini, qwen"
        />
        <Field
          label="Stop when idle for (seconds)"
          name="idle_timeout"
          type="number"
          min={0}
          placeholder="Never"
          value={v.idle_timeout}
          onInput={text("idle_timeout")}
          error={errors.value.idle_timeout}
          hint="After the last request ends; empty or 0 keeps it running"
        />
        <CheckField
          label="Keep loaded"
          name="keep_loaded"
          checked={v.keep_loaded}
          onChange={(x) => set("keep_loaded", x)}
          hint="Never stopped to make room for another model"
        />
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
          <Field
            label="Host"
            name="host"
            value={v.host}
            onInput={text("host")}
            error={errors.value.host}
            hint="Default: 127.0.0.1 (this Mac only); 0.0.0.0 for the network"
          />
          <Field
            label="Context length"
            name="context_length"
            type="number"
            min={1}
            placeholder="Model default"
            value={v.context_length}
            onInput={text("context_length")}
            error={errors.value.context_length}
            hint="Tokens kept in the cache; empty for the model's default"
          />
          <Field
            label="Max concurrency"
            name="max_concurrency"
            type="number"
            min={1}
            value={v.max_concurrency}
            onInput={text("max_concurrency")}
            error={errors.value.max_concurrency}
            hint="Default: 1"
          />
          <Field
            label="Queue timeout (seconds)"
            name="queue_timeout"
            type="number"
            min={1}
            value={v.queue_timeout}
            onInput={text("queue_timeout")}
            error={errors.value.queue_timeout}
            hint="Default: 300"
          />
          <Field
            label="Queue size"
            name="queue_size"
            type="number"
            min={1}
            value={v.queue_size}
            onInput={text("queue_size")}
            error={errors.value.queue_size}
            hint="Default: 100"
          />
          <SelectField
            label="Log level"
            name="log_level"
            options={choices.log_levels.map((l) => ({ value: l, label: l }))}
            value={v.log_level}
            onChange={text("log_level")}
            error={errors.value.log_level}
            hint="Default: INFO"
          />
          <SelectField
            label="Tool call parser"
            name="tool_call_parser"
            options={pick(choices.tool_call_parsers)}
            value={v.tool_call_parser}
            onChange={text("tool_call_parser")}
            error={errors.value.tool_call_parser}
            hint="Needed for tool calling with Qwen3, GLM, MiniMax and similar models"
          />
          <SelectField
            label="Reasoning parser"
            name="reasoning_parser"
            options={pick(choices.reasoning_parsers)}
            value={v.reasoning_parser}
            onChange={text("reasoning_parser")}
            error={errors.value.reasoning_parser}
            hint="Separates the model's thinking from its answer"
          />
          <SelectField
            label="Message converter"
            name="message_converter"
            options={pick(choices.message_converters)}
            value={v.message_converter}
            onChange={text("message_converter")}
            error={errors.value.message_converter}
            disabled={choices.message_converters.length === 0 && v.message_converter === ""}
            hint={choices.message_converters.length
              ? undefined
              : "This server version has no message converters"}
          />
          <Field
            label="Chat template file"
            name="chat_template_file"
            placeholder="/path/to/template.jinja"
            value={v.chat_template_file}
            onInput={text("chat_template_file")}
            error={errors.value.chat_template_file}
            hint="An absolute path; empty for the model's own template"
          />
          <CheckField
            label="Auto tool choice"
            name="enable_auto_tool_choice"
            checked={v.enable_auto_tool_choice}
            onChange={(x) => set("enable_auto_tool_choice", x)}
            error={errors.value.enable_auto_tool_choice}
            hint={`Lets the model decide when to call tools ("tool_choice": "auto")`}
          />
          <CheckField
            label="Trust remote code"
            name="trust_remote_code"
            checked={v.trust_remote_code}
            onChange={(x) => set("trust_remote_code", x)}
            error={errors.value.trust_remote_code}
            hint="Runs code shipped with the model; only for repos you trust"
          />
        </div>
      </details>

      <div class="flex justify-end gap-2">
        <a href="/profiles" class="btn btn-secondary">Cancel</a>
        <button type="submit" class="btn btn-primary" disabled={!hydrated || saving.value}>
          {saving.value ? "Saving…" : profileId ? "Save profile" : "Create profile"}
        </button>
      </div>
    </form>
  );
}
