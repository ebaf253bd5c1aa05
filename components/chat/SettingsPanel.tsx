/** Sampling and prompt settings of the Chat page. */
export interface ChatSettings {
  systemPrompt: string;
  /** Empty means the server's default. */
  temperature: string;
  topP: string;
  maxTokens: string;
  seed: string;
  /** One stop sequence per line. */
  stop: string;
  tools: boolean;
}

/** Props of {@link SettingsPanel}. */
export interface SettingsPanelProps {
  settings: ChatSettings;
  onChange: (settings: ChatSettings) => void;
  toolCount: number;
}

/** Reads the numeric settings into request fields; returns the first problem as text. */
export function samplingFields(s: ChatSettings): Record<string, unknown> | string {
  const out: Record<string, unknown> = {};
  const num = (raw: string, name: string, min: number, max: number, integer = false): string | null => {
    if (raw.trim() === "") return null;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      return `${name} must be ${integer ? "a whole number" : "a number"} from ${min} to ${max}`;
    }
    out[name] = value;
    return null;
  };
  const problem = num(s.temperature, "temperature", 0, 2) ?? num(s.topP, "top_p", 0.01, 1) ??
    num(s.maxTokens, "max_tokens", 1, 1_000_000, true) ?? num(s.seed, "seed", 0, 2 ** 31, true);
  if (problem) return problem;
  const stop = s.stop.split("\n").filter((line) => line !== "");
  if (stop.length > 4) return "Give at most 4 stop sequences";
  if (stop.length) out.stop = stop;
  return out;
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

/** The system prompt, sampling settings and the tools switch. */
export function SettingsPanel({ settings, onChange, toolCount }: SettingsPanelProps) {
  const set = (patch: Partial<ChatSettings>) => onChange({ ...settings, ...patch });
  return (
    <div class="card mb-3 space-y-3" data-testid="chat-settings">
      <div>
        <label class="label" for="chat-system">System prompt</label>
        <textarea
          id="chat-system"
          class="input"
          rows={3}
          placeholder="No system prompt"
          value={settings.systemPrompt}
          onInput={(e) => set({ systemPrompt: e.currentTarget.value })}
        />
        <p class="hint">Starts from the profile's prompt; changes apply to this conversation</p>
      </div>
      <div class="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <NumberField
          id="chat-temperature"
          label="Temperature"
          step="0.1"
          hint="0–2"
          value={settings.temperature}
          onInput={(v) => set({ temperature: v })}
        />
        <NumberField
          id="chat-top-p"
          label="Top p"
          step="0.05"
          hint="0–1"
          value={settings.topP}
          onInput={(v) => set({ topP: v })}
        />
        <NumberField
          id="chat-max-tokens"
          label="Max tokens"
          step="1"
          hint="Answer length cap"
          value={settings.maxTokens}
          onInput={(v) => set({ maxTokens: v })}
        />
        <NumberField
          id="chat-seed"
          label="Seed"
          step="1"
          hint="Repeatable sampling"
          value={settings.seed}
          onInput={(v) => set({ seed: v })}
        />
      </div>
      <div class="grid gap-3 sm:grid-cols-2">
        <div>
          <label class="label" for="chat-stop">Stop sequences</label>
          <textarea
            id="chat-stop"
            class="input"
            rows={2}
            placeholder="One per line"
            value={settings.stop}
            onInput={(e) => set({ stop: e.currentTarget.value })}
          />
        </div>
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
