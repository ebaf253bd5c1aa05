import type { ChatSettings } from "../../lib/chat/settings.ts";
import { AreaField } from "../ui/Field.tsx";

/** Props of {@link SettingsPanel}. */
export interface SettingsPanelProps {
  settings: ChatSettings;
  onChange: (settings: ChatSettings) => void;
  toolCount: number;
}

function NumberField(
  props: {
    id: string;
    label: string;
    value: string;
    hint: string;
    step: string;
    onInput: (v: string) => void;
  },
) {
  return (
    <div>
      <label class="label" for={props.id}>{props.label}</label>
      <input
        id={props.id}
        class="input"
        type="number"
        inputMode="decimal"
        step={props.step}
        placeholder="default"
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <p class="hint">{props.hint}</p>
    </div>
  );
}

/** The numeric settings, in the order shown. */
const NUMBER_FIELDS: {
  key: "temperature" | "topP" | "maxTokens" | "seed";
  id: string;
  label: string;
  step: string;
  hint: string;
}[] = [
  { key: "temperature", id: "chat-temperature", label: "Temperature", step: "0.1", hint: "0–2" },
  { key: "topP", id: "chat-top-p", label: "Top p", step: "0.05", hint: "0–1" },
  { key: "maxTokens", id: "chat-max-tokens", label: "Max tokens", step: "1", hint: "Answer length cap" },
  { key: "seed", id: "chat-seed", label: "Seed", step: "1", hint: "Repeatable sampling" },
];

/** The system prompt, sampling settings and the tools switch. */
export function SettingsPanel({ settings, onChange, toolCount }: SettingsPanelProps) {
  const set = (patch: Partial<ChatSettings>) => onChange({ ...settings, ...patch });
  return (
    <div class="card mb-3 space-y-3" data-testid="chat-settings">
      <AreaField
        id="chat-system"
        label="System prompt"
        placeholder="No system prompt"
        value={settings.systemPrompt}
        onInput={(systemPrompt) => set({ systemPrompt })}
        hint="Starts from the profile's prompt; changes apply to this conversation"
      />
      <div class="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {NUMBER_FIELDS.map((f) => (
          <NumberField
            key={f.key}
            id={f.id}
            label={f.label}
            step={f.step}
            hint={f.hint}
            value={settings[f.key]}
            onInput={(v) => set({ [f.key]: v })}
          />
        ))}
      </div>
      <div class="grid gap-3 sm:grid-cols-2">
        <AreaField
          id="chat-stop"
          label="Stop sequences"
          rows={2}
          placeholder="One per line"
          value={settings.stop}
          onInput={(stop) => set({ stop })}
        />
        <label class="flex items-start gap-2 pt-6 text-sm">
          <input
            type="checkbox"
            class="mt-0.5"
            checked={settings.tools}
            onChange={(e) => set({ tools: e.currentTarget.checked })}
            data-testid="tools-toggle"
          />
          <span>
            Built-in tools ({toolCount})
            <span class="hint block">
              Lets the model check the weather and calculate; the answer continues with the results
            </span>
          </span>
        </label>
      </div>
    </div>
  );
}
