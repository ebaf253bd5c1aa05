import type { ChatTargetInfo } from "../../lib/chat/types.ts";

/** Props of {@link ServerPicker}. */
export interface ServerPickerProps {
  targets: ChatTargetInfo[];
  profileId: number | null;
  /** The selected profile's server is running. */
  running: boolean;
  onSelect: (profileId: number) => void;
  onStart: () => void;
  onToggleSettings: () => void;
  onToggleHistory: () => void;
}

const STATE_LABEL: Record<string, string> = {
  running: "",
  starting: " (starting)",
  failed: " (failed)",
  crashed: " (crashed)",
};

/** A profile's name, and its model's when the name does not already say it. */
export function optionLabel(t: Pick<ChatTargetInfo, "name" | "model">): string {
  const model = t.model.split("/").at(-1) ?? t.model;
  return t.name.trim().toLowerCase() === model.toLowerCase() ? t.name : `${t.name} — ${model}`;
}

/** The bar above the transcript: which server to talk to, start it, settings, history (on a phone). */
export function ServerPicker(props: ServerPickerProps) {
  const selected = props.targets.find((t) => t.profile_id === props.profileId);
  return (
    <div class="mb-3 flex flex-wrap items-center gap-2">
      <button
        type="button"
        class="btn btn-secondary md:hidden"
        onClick={props.onToggleHistory}
        data-testid="history-toggle"
      >
        History
      </button>
      <label class="sr-only" for="chat-server">Server</label>
      <select
        id="chat-server"
        class="input w-auto min-w-0 flex-1 sm:max-w-sm"
        value={props.profileId === null ? "" : String(props.profileId)}
        onChange={(e) => props.onSelect(Number(e.currentTarget.value))}
        disabled={props.targets.length === 0}
        data-testid="server-select"
      >
        {props.targets.length === 0 && <option value="">No chat profiles</option>}
        {props.targets.length > 0 && props.profileId === null && (
          <option value="" disabled>Pick a server</option>
        )}
        {props.targets.map((t) => (
          <option key={t.profile_id} value={String(t.profile_id)}>
            {optionLabel(t)}
            {STATE_LABEL[t.state] ?? " (stopped)"}
          </option>
        ))}
      </select>
      {selected && !props.running && (
        <button
          type="button"
          class="btn btn-primary"
          onClick={props.onStart}
          disabled={selected.state === "starting"}
          data-testid="start-server"
        >
          {selected.state === "starting" ? "Starting…" : "Start"}
        </button>
      )}
      {selected && (
        <span
          class={`badge ${
            props.running ? "badge-green" : selected.state === "starting" ? "badge-yellow" : "badge-gray"
          }`}
        >
          {selected.state}
        </span>
      )}
      <button
        type="button"
        class="btn btn-ghost ml-auto"
        onClick={props.onToggleSettings}
        data-testid="settings-toggle"
      >
        Settings
      </button>
    </div>
  );
}
