/**
 * Server profiles: create, edit, duplicate and delete them (deleting stops the
 * server first), with unique names and ports, and the next free port.
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import { now, transaction } from "../../db/mod.ts";
import {
  deleteProfile,
  findProfile,
  findProfileByName,
  findProfileByPort,
  insertProfile,
  listProfiles,
  modelNameKey,
  type Profile,
  type ProfileFields,
  profilePorts,
  updateProfile,
} from "../../db/profiles.ts";
import type { Config } from "../../lib/config.ts";
import { AppError } from "../../lib/errors.ts";
import type { EventBus } from "../events.ts";
import type { Supervisor } from "../supervisor/mod.ts";
import { firstFreePort } from "../supervisor/ports.ts";
import { type ParserOptions, parserOptions, type ServerInfoSource } from "../supervisor/server_info.ts";
import { refusals } from "../supervisor/server_flags.ts";
import { type ProfileCreate, profileSchemas, type ProfileUpdate } from "./schemas.ts";
import { type ModelPathCheck, modelPathError } from "./model_check.ts";

export type { ModelPathCheck } from "./model_check.ts";

/** Dependencies of {@link Profiles}. */
export interface ProfilesDeps {
  db: Db;
  bus: EventBus;
  config: Config;
  serverInfo: ServerInfoSource;
  supervisor: Supervisor;
  /** Checks a model path a person typed (see `model_check.ts`). @default nothing is checked */
  checkModel?: (path: string) => Promise<ModelPathCheck>;
}

const NAME_TAKEN = "Profile name already exists";
const PORT_TAKEN = "Port already in use by another profile";

/** Why a name or alias cannot be used, or null. */
function nameClash(names: string[], others: Profile[]): string | null {
  const seen = new Set<string>();
  for (const name of names) {
    const key = modelNameKey(name);
    if (seen.has(key)) return `"${name}" is listed twice (names and aliases are compared ignoring case)`;
    seen.add(key);
  }
  for (const other of others) {
    for (const taken of [other.name, ...other.aliases]) {
      if (seen.has(modelNameKey(taken))) {
        return `"${taken}" is already a name or alias of the profile "${other.name}"`;
      }
    }
  }
  return null;
}

/**
 * The profiles service.
 *
 * @example
 * ```ts
 * const profiles = new Profiles({ db, bus, config, serverInfo, supervisor });
 * const { create } = await profiles.schemas();
 * const p = await profiles.create(parseWith(create, { name: "Qwen3", model_path: "mlx-community/Qwen3-8B-4bit", port: 10240 }));
 * ```
 */
export class Profiles {
  readonly #deps: ProfilesDeps;

  constructor(deps: ProfilesDeps) {
    this.#deps = deps;
  }

  /** The choice lists of the installed server (or the 1.5.1 lists when it is missing). */
  async options(): Promise<ParserOptions> {
    return parserOptions(await this.#deps.serverInfo.get());
  }

  /** The create and update schemas for the installed server. */
  async schemas(): Promise<ReturnType<typeof profileSchemas>> {
    return profileSchemas(await this.options());
  }

  /** Every profile, oldest first. */
  list(): Profile[] {
    return listProfiles(this.#deps.db);
  }

  /** One profile, or null when there is none with `id`. */
  find(id: number): Profile | null {
    return findProfile(this.#deps.db, id);
  }

  /** One profile; throws `not_found` when there is none with `id`. */
  get(id: number): Profile {
    const profile = this.find(id);
    if (!profile) throw new AppError("not_found", "Profile not found");
    return profile;
  }

  /**
   * Throws `conflict` when a name, alias or port is taken by another profile
   * than `current`, or the port is the manager's own.
   */
  #checkUnique(fields: { name?: string; port?: number; aliases?: string[] }, current?: Profile): void {
    const { db } = this.#deps;
    const id = current?.id;
    if (fields.name !== undefined) {
      const other = findProfileByName(db, fields.name);
      if (other && other.id !== id) {
        throw new AppError("conflict", NAME_TAKEN, { fields: { name: NAME_TAKEN } });
      }
    }
    if (fields.port !== undefined && fields.port === this.#deps.config.port) {
      const message = `Port ${fields.port} is MLX Manager's own port (MLX_MANAGER_PORT): choose another`;
      throw new AppError("conflict", message, { reason: "manager_port", fields: { port: message } });
    }
    if (fields.port !== undefined) {
      const other = findProfileByPort(db, fields.port);
      if (other && other.id !== id) {
        throw new AppError("conflict", PORT_TAKEN, { fields: { port: PORT_TAKEN } });
      }
    }
    if (fields.name !== undefined || fields.aliases !== undefined) {
      const name = fields.name ?? current?.name ?? "";
      const aliases = fields.aliases ?? current?.aliases ?? [];
      const clash = nameClash([name, ...aliases], listProfiles(db).filter((p) => p.id !== id));
      if (clash) {
        const field = aliases.length > 0 ? "aliases" : "name";
        throw new AppError("conflict", clash, { fields: { [field]: clash } });
      }
    }
  }

  /**
   * Throws `invalid` when `input` makes a setting the installed server
   * cannot honour (named with its version): one of its own fields, or one it
   * makes unusable (a higher concurrency beside a context length). A problem
   * the profile had already does not block an unrelated edit; nothing is
   * checked while the server is not installed.
   */
  async #checkServer(input: Partial<ProfileFields>, current?: Profile): Promise<void> {
    const info = await this.#deps.serverInfo.get();
    if (!info.installed) return;
    const draft = { ...(current ?? { id: 0, created_at: "", updated_at: "" }), ...input } as Profile;
    const before = current ? refusals(current, info) : {};
    const problems = Object.entries(refusals(draft, info))
      .filter(([field, message]) => field in input || before[field] !== message);
    if (problems.length === 0) return;
    throw new AppError("invalid", problems.map(([, m]) => m).join("; "), {
      fields: Object.fromEntries(problems),
      reason: "unsupported_option",
    });
  }

  #changed(id: number | null): void {
    this.#deps.bus.publish("profiles.changed", { id });
  }

  /**
   * Checks the model path a save would store, when it is new or changed:
   * null when there is nothing to check.
   *
   * @throws {AppError} `invalid` (with the `model_path` field's message) for a
   *   folder that does not exist or a repository the hub does not know
   */
  async checkModelPath(modelPath: string | undefined, current?: Profile): Promise<ModelPathCheck | null> {
    const check = this.#deps.checkModel;
    if (!check || modelPath === undefined || modelPath === current?.model_path) return null;
    const result = await check(modelPath);
    if (result.error) throw modelPathError(result.error);
    return result;
  }

  /**
   * Creates a profile; `conflict` on a duplicate name, alias or port,
   * `invalid` for a setting the installed server cannot honour.
   */
  async create(input: ProfileCreate): Promise<Profile> {
    const { db } = this.#deps;
    await this.#checkServer(input as ProfileFields);
    const profile = transaction(db, () => {
      this.#checkUnique(input);
      return insertProfile(db, input as ProfileFields, now());
    });
    this.#changed(profile.id);
    return profile;
  }

  /**
   * Applies the fields present in `input` (`null` clears a field); `not_found`
   * without the profile, `conflict` on a duplicate name, alias or port,
   * `invalid` for a setting the installed server cannot honour.
   */
  async update(id: number, input: ProfileUpdate): Promise<Profile> {
    const { db, supervisor } = this.#deps;
    await this.#checkServer(input as Partial<ProfileFields>, this.get(id));
    transaction(db, () => {
      this.#checkUnique(input, this.get(id));
      updateProfile(db, id, input as Partial<ProfileFields>, now());
    });
    supervisor.profileChanged(id);
    this.#changed(id);
    return this.get(id);
  }

  /** Stops the profile's server, removes its log, then deletes the profile; `not_found` without it. */
  async remove(id: number): Promise<void> {
    const profile = this.get(id);
    await this.#deps.supervisor.forget(profile.id);
    deleteProfile(this.#deps.db, profile.id);
    this.#changed(profile.id);
  }

  /**
   * Copies a profile under a new name and the next free port; `auto_start` and
   * the aliases (which must stay unique) are not copied.
   */
  async duplicate(id: number, newName: string): Promise<Profile> {
    const source = this.get(id);
    const { id: _, created_at: _c, updated_at: _u, ...fields } = source;
    const port = await this.nextPort();
    return await this.create({ ...fields, name: newName, port, auto_start: false, aliases: [] });
  }

  /**
   * The first port from the configured start that no profile uses, that is not
   * the manager's own and that nothing listens on.
   */
  async nextPort(): Promise<number> {
    const { config, db } = this.#deps;
    const taken = profilePorts(db).add(config.port);
    const port = await firstFreePort(config.defaultPortStart, taken);
    if (port === null) throw new AppError("conflict", "No free port is left above the default start port");
    return port;
  }
}
