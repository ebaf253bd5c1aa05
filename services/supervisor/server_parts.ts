/**
 * The parts of one profile's server, wired to the few things only the server
 * itself holds (its machine state, its profile, its event dispatch): the log,
 * the process driver, the request gate, the budget charge and its view for
 * the room keeper, the idle timer and the crash restarts.
 *
 * @module
 */
import type { Profile } from "../../db/profiles.ts";
import type { Clock } from "../../lib/clock.ts";
import { RequestGate } from "./admission.ts";
import { ProcessDriver } from "./driver.ts";
import { estimateFootprint, ServerCharge } from "./footprint.ts";
import { isIdle, type MachineEvent, type MachineState } from "./machine.ts";
import { CrashRestarts } from "./restart.ts";
import type { RoomSeeker } from "./room.ts";
import type { ServerContext } from "./server_context.ts";
import { logPathOf, ServerLog } from "./server_log.ts";

/** What the parts read from and tell their server. */
export interface PartsHost {
  id: number;
  send(event: MachineEvent): void;
  machine(): MachineState;
  profile(): Profile;
  closed(): boolean;
  /** A request arrived for a server that is not running: it starts afresh (crash history forgotten). */
  coldRequest(): void;
  /** The launch read the profile anew. */
  refresh(profile: Profile): void;
}

/** A timer that fires once `seconds` after it was armed; 0 or null seconds = never. */
export class IdleTimer {
  readonly #clock: Clock;
  #cancel: (() => void) | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  arm(seconds: number | null, fire: () => void): void {
    this.cancel();
    if (seconds && seconds > 0) this.#cancel = this.#clock.timeout(seconds * 1000, fire);
  }

  cancel(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }
}

/** The parts of one server. */
export interface ServerParts {
  log: ServerLog;
  driver: ProcessDriver;
  gate: RequestGate;
  charge: ServerCharge;
  seeker: RoomSeeker;
  idle: IdleTimer;
  restarts: CrashRestarts;
}

/**
 * Builds the parts of the server of `host.profile()`, with `log` when the
 * profile's log was read before its server existed.
 *
 * @example
 * ```ts
 * const parts = serverParts(ctx, { id, send, machine, profile, closed, evict, refresh });
 * ```
 */
export function serverParts(ctx: ServerContext, host: PartsHost, log?: ServerLog): ServerParts {
  const profile = host.profile();
  log ??= new ServerLog(logPathOf(ctx.config.dataDir, host.id));
  const charge = new ServerCharge(() => {
    const { model_path, draft_model_path } = host.profile();
    return estimateFootprint(model_path, ctx.config.hfHubCache, draft_model_path);
  });
  const phase = () => host.machine().phase;
  const driver = new ProcessDriver(ctx, profile, log, {
    send: host.send,
    state: phase,
    failing: () => host.machine().failure !== null,
    closed: host.closed,
    forRequests: () => host.machine().waiting > 0,
    // Read at launch time, after the seeker below exists.
    get seeker() {
      return seeker;
    },
    launched: host.refresh,
    measured: (bytes) => charge.measured(bytes),
  });
  const seeker = charge.seeker({
    id: host.id,
    wanted: () => !host.closed() && phase() === "starting" && host.machine().waiting > 0,
    live: () => driver.live,
    idle: () => phase() === "running" && isIdle(host.machine()),
    keepLoaded: () => host.profile().keep_loaded === true,
    // The machine stops it only when idle; wait for the process to be gone.
    evict: async () => {
      host.send({ type: "evict" });
      if (phase() === "stopping") await driver.ended;
    },
  });
  const gate = new RequestGate({
    id: host.id,
    get baseUrl() {
      return driver.baseUrl;
    },
    get servedModel() {
      return driver.facts.servedModel;
    },
    profile: host.profile,
    machine: host.machine,
    send: host.send,
    closed: host.closed,
    coldRequest: host.coldRequest,
    startTimeout: ctx.config.startTimeout,
    released: (kind) => {
      if (kind === "ended") charge.lastUsed = performance.now();
      ctx.roomChanged();
    },
  });
  return { log, driver, gate, charge, seeker, idle: new IdleTimer(ctx.clock), restarts: new CrashRestarts() };
}
