/**
 * The kinds of profile field and how one is declared: its label, form
 * section, limits and default. Browser-safe: types and data only.
 *
 * @module
 */

/** The choice lists of the installed server, by the name a choice field uses. */
export interface ProfileChoices {
  model_types: string[];
  tool_call_parsers: string[];
  reasoning_parsers: string[];
  message_converters: string[];
  log_levels: string[];
}

/** The parts of the profile form, in the order it shows them. */
export const PROFILE_SECTIONS = {
  basic: "Basic settings",
  sampling: "More sampling defaults",
  performance: "Speed and memory",
  advanced: "Advanced",
} as const;

/** A part of the profile form. */
export type ProfileSection = keyof typeof PROFILE_SECTIONS;

export interface BaseSpec {
  /** What the form and every error message call the field. */
  label: string;
  /** Where the form shows it: first, under More sampling, Speed and memory, or Advanced. */
  section: ProfileSection;
  /** A sentence under the input; the default is put before it when there is one. */
  hint?: string;
  placeholder?: string;
  /** The model types the server applies it to; absent = every type. */
  types?: readonly string[];
}

/** How one field is entered, checked and stored. */
export type FieldSpec =
  & BaseSpec
  & (
    | { kind: "text" | "longtext" | "model"; max: number; default?: string | null }
    | {
      kind: "number";
      min: number;
      max: number;
      /** The input's step; a fraction makes the field a decimal. @default 1 (whole numbers) */
      step?: number;
      /** The lower bound is excluded (top_p > 0). @default false */
      minExclusive?: boolean;
      default?: number | null;
    }
    | { kind: "boolean"; default: boolean }
    | { kind: "choice"; list: keyof ProfileChoices; default: string | null }
    | {
      kind: "list";
      max: number;
      itemMax: number;
      /** What one item is called in messages ("An alias"). */
      itemLabel: string;
      /** Numbers instead of text. @default "text" */
      item?: "text" | "number";
      default: string[] | number[];
    }
  );
