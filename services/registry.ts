/**
 * What the registries of named entries (the upstreams, the MCP servers)
 * share: an entry looked up by id (a `not_found` when there is none), a name
 * that no two entries hold — checked before a write and again by the table
 * when two admins write one name at once — and secret values sealed to their
 * place, so a value copied to another entry or field does not open.
 *
 * @module
 */
import { AppError } from "../lib/errors.ts";
import type { SecretBox } from "./secrets.ts";

/** The part of a table of named entries (`db/named_table.ts`) a registry checks names with. */
export interface NamedRows<Row> {
  get(id: number): Row | null;
  byName(name: string): Row | null;
  /** Whether a write failed because another row holds the name. */
  nameTaken(error: unknown): boolean;
}

/** Options of {@link NamedEntries}. */
export interface NamedEntriesOptions {
  /**
   * What an entry is called in messages, as it reads after "An" ("upstream",
   * "MCP server"); its first letter is capitalized to begin a sentence.
   */
  thing: string;
  /** Names no entry may take (case-insensitive), such as a built-in entry's. @default [] */
  reserved?: readonly string[];
}

/**
 * Looks entries up by id and keeps their names unique.
 *
 * @example
 * ```ts
 * const entries = new NamedEntries(repo, { thing: "upstream" });
 * entries.assertNameFree(input.name, null);                 // a 409 before any work
 * const row = entries.write(input.name, () => repo.insert(fields)); // and the same 409 if it was taken meanwhile
 * ```
 */
export class NamedEntries<Row extends { id: number }> {
  readonly #rows: NamedRows<Row>;
  readonly #thing: string;
  readonly #reserved: readonly string[];

  constructor(rows: NamedRows<Row>, options: NamedEntriesOptions) {
    this.#rows = rows;
    this.#thing = options.thing;
    this.#reserved = (options.reserved ?? []).map((n) => n.toLowerCase());
  }

  /**
   * The entry of `id`.
   *
   * @throws {AppError} `not_found` when there is none
   */
  row(id: number): Row {
    const row = this.#rows.get(id);
    if (!row) {
      throw new AppError("not_found", `${this.#thing[0].toUpperCase()}${this.#thing.slice(1)} not found`);
    }
    return row;
  }

  /**
   * Checks that `name` is free for the entry `id` (null: a new entry).
   *
   * @throws {AppError} `conflict` when another entry holds it or it is reserved
   */
  assertNameFree(name: string, id: number | null): void {
    const other = this.#rows.byName(name);
    if ((other && other.id !== id) || this.#reserved.includes(name.toLowerCase())) throw this.#taken(name);
  }

  /**
   * Runs a write that stores `name`. A name another entry took meanwhile (two
   * admins at once), which the table refuses, is the same conflict as one
   * taken before.
   *
   * @throws {AppError} `conflict` when the table refuses the name
   */
  write<T>(name: string, write: () => T): T {
    try {
      return write();
    } catch (error) {
      if (this.#rows.nameTaken(error)) throw this.#taken(name);
      throw error;
    }
  }

  #taken(name: string): AppError {
    return new AppError("conflict", `An ${this.#thing} named "${name}" already exists: choose another name`, {
      fields: { name: "Already taken" },
    });
  }
}

/**
 * Seals and opens the secret values of a registry's entries, each bound to
 * its place `<area>|<id>|<field>…`.
 *
 * @example
 * ```ts
 * const secrets = new EntrySecrets(box, "upstream");
 * const sealed = await secrets.seal("sk-…", 3, "api_key"); // bound to "upstream|3|api_key"
 * await secrets.open(sealed, 3, "api_key");                // "sk-…"
 * ```
 */
export class EntrySecrets {
  readonly #box: SecretBox;
  readonly #area: string;

  constructor(box: SecretBox, area: string) {
    this.#box = box;
    this.#area = area;
  }

  /** Seals `value` for the entry `id`, at `place` (field, then name within it). */
  seal(value: string, id: number, ...place: string[]): Promise<string> {
    return this.#box.seal(value, this.#context(id, place));
  }

  /** Opens a value sealed by {@link seal} for the same entry and place. */
  open(sealed: string, id: number, ...place: string[]): Promise<string> {
    return this.#box.open(sealed, this.#context(id, place));
  }

  #context(id: number, place: string[]): string {
    return [this.#area, id, ...place].join("|");
  }
}
