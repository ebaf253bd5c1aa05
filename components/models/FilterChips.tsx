import { bitsLabel, type Capability, type ModelFilters, toggle } from "../../lib/model_filters.ts";

/** Props of {@link FilterChips}. */
export interface FilterChipsProps {
  options: { families: string[]; bits: number[] };
  value: ModelFilters;
  onChange: (next: ModelFilters) => void;
}

const CAPS: { value: Capability; label: string }[] = [
  { value: "vision", label: "Vision" },
  { value: "text", label: "Text only" },
  { value: "tools", label: "Tool use" },
];

function Chip({ on, label, onClick }: { on: boolean; label: string; onClick: () => void }) {
  return (
    <button
      type="button"
      class={`badge ${on ? "badge-blue ring-1 ring-sky-500" : "badge-gray"} cursor-pointer`}
      aria-pressed={on}
      onClick={onClick}
      data-testid="filter-chip"
    >
      {label}
    </button>
  );
}

/** Toggle chips for architecture, quantization and capabilities. */
export function FilterChips({ options, value, onChange }: FilterChipsProps) {
  const active = value.families.length + value.bits.length + value.caps.length;
  return (
    <div class="flex flex-wrap items-center gap-1" aria-label="Filters">
      {options.families.map((f) => (
        <Chip
          key={f}
          on={value.families.includes(f)}
          label={f}
          onClick={() => onChange({ ...value, families: toggle(value.families, f) })}
        />
      ))}
      {options.bits.map((b) => (
        <Chip
          key={b}
          on={value.bits.includes(b)}
          label={bitsLabel(b)}
          onClick={() => onChange({ ...value, bits: toggle(value.bits, b) })}
        />
      ))}
      {CAPS.map((c) => (
        <Chip
          key={c.value}
          on={value.caps.includes(c.value)}
          label={c.label}
          onClick={() => onChange({ ...value, caps: toggle(value.caps, c.value) })}
        />
      ))}
      {active > 0 && (
        <button
          type="button"
          class="btn btn-ghost text-xs"
          onClick={() => onChange({ families: [], bits: [], caps: [] })}
        >
          Clear filters
        </button>
      )}
    </div>
  );
}
