/**
 * The system service: memory, swap, pressure and GPU readings, the machine's
 * identity and the versions of what runs on it, in the shapes the API and
 * the live events use.
 *
 * @module
 */
import type { Config } from "../../lib/config.ts";
import type { SystemMetricsEvent } from "../../lib/event_types.ts";
import { round2 } from "../../lib/format.ts";
import { VERSION } from "../../lib/version.ts";
import type { HostInfo, MemorySample, OsName, PlatformProbe } from "./probes.ts";
import type { CommandRunner } from "../platform/runner.ts";
import { locateExecutable } from "../platform/executable.ts";
import { probePython, probeServerVersion, type PythonVersions } from "./versions.ts";

/** `GET /api/system/memory`: totals in GB, plus bytes, swap, pressure and GPU. */
export interface SystemMemory {
  total_gb: number;
  available_gb: number;
  used_gb: number;
  percent_used: number;
  /** The share of memory models should fit in (`MLX_MANAGER_MAX_MEMORY_PERCENT`). */
  mlx_recommended_gb: number;
  total_bytes: number;
  used_bytes: number;
  available_bytes: number;
  swap_total_bytes: number | null;
  swap_used_bytes: number | null;
  pressure: "normal" | "warn" | "critical" | null;
  free_percent: number | null;
  gpu:
    | { utilization_percent: number | null; in_use_bytes: number | null; allocated_bytes: number | null }
    | null;
}

/** `GET /api/system/info`: the operating system, the model server and its Python, the machine and the runtime. */
export interface SystemInfo {
  /** "macOS 15.3.1 (24D70)" (the product version, not the kernel's). */
  os_version: string;
  kernel: string;
  platform: OsName;
  arch: string;
  chip: string;
  cpu_cores: number;
  gpu_cores: number | null;
  memory_gb: number;
  memory_bytes: number;
  manager_version: string;
  deno_version: string;
  /** The Python the model server runs on. */
  python_version: string | null;
  mlx_version: string | null;
  mlx_lm_version: string | null;
  mlx_openai_server_version: string | null;
  /** Where the model server was found (upgrade-stable), or null when it is not installed. */
  mlx_openai_server_path: string | null;
  /** Whether launchd services can be installed here (macOS). */
  launchd_available: boolean;
}

/** Dependencies of {@link SystemService}. */
export interface SystemServiceOptions {
  config: Config;
  probe: PlatformProbe;
  runner: CommandRunner;
  os: OsName;
  /** How long discovered versions are trusted before they are read again. @default 5 minutes */
  versionTtlMs?: number;
  /**
   * Where the installed server is and its version, when another service
   * already discovers them (the supervisor's server info); otherwise found on
   * PATH and asked with `--version` here.
   */
  server?: () => Promise<{ path: string | null; version: string | null }>;
}

const GB = 1024 ** 3;

interface ServerFacts {
  path: string | null;
  version: string | null;
  python: PythonVersions;
}

/**
 * Reads the machine through a platform probe.
 *
 * @example
 * ```ts
 * const system = new SystemService({ config, os: "darwin", runner, probe: createProbe({ os: "darwin", runner }) });
 * (await system.memory()).percent_used; // 61.2
 * ```
 */
export class SystemService {
  readonly #options: SystemServiceOptions;
  #host: Promise<HostInfo> | null = null;
  #server: { at: number; facts: Promise<ServerFacts> } | null = null;

  constructor(options: SystemServiceOptions) {
    this.#options = options;
  }

  /** The OS this service reads. */
  get os(): OsName {
    return this.#options.os;
  }

  /** One raw reading, in bytes. */
  sample(): Promise<MemorySample> {
    return this.#options.probe.memory();
  }

  /** Memory, swap, pressure and GPU in the API's shape. */
  async memory(): Promise<SystemMemory> {
    return toSystemMemory(await this.sample(), this.#options.config.maxMemoryPercent);
  }

  /** A reading in the shape of the `system.metrics` event. */
  async metrics(): Promise<SystemMetricsEvent> {
    return toMetricsEvent(await this.sample());
  }

  /** The machine, the runtime and the installed model server. */
  async info(): Promise<SystemInfo> {
    const [host, server] = await Promise.all([this.#hostInfo(), this.serverFacts()]);
    return {
      os_version: host.osVersion,
      kernel: host.kernel,
      platform: this.#options.os,
      arch: Deno.build.arch,
      chip: host.chip,
      cpu_cores: host.cpuCores,
      gpu_cores: host.gpuCores,
      memory_gb: Math.round(host.memoryBytes / GB),
      memory_bytes: host.memoryBytes,
      manager_version: VERSION,
      deno_version: Deno.version.deno,
      python_version: server.python.python,
      mlx_version: server.python.mlx,
      mlx_lm_version: server.python.mlxLm,
      mlx_openai_server_version: server.version,
      mlx_openai_server_path: server.path,
      launchd_available: this.#options.os === "darwin",
    };
  }

  /** The installed `mlx-openai-server`: path, version and Python, read at most every few minutes. */
  serverFacts(): Promise<ServerFacts> {
    const ttl = this.#options.versionTtlMs ?? 300_000;
    if (this.#server && Date.now() - this.#server.at < ttl) return this.#server.facts;
    const facts = this.#discover();
    this.#server = { at: Date.now(), facts };
    return facts;
  }

  /** Starts the slow discoveries in the background so the first page view does not wait. */
  warm(): void {
    this.#hostInfo().catch(() => {});
    this.serverFacts().catch(() => {});
  }

  #hostInfo(): Promise<HostInfo> {
    return this.#host ??= this.#options.probe.host().catch((error) => {
      this.#host = null;
      throw error;
    });
  }

  async #discover(): Promise<ServerFacts> {
    const { config, runner, server } = this.#options;
    const none = { python: null, mlx: null, mlxLm: null };
    if (server) {
      const known = await server();
      if (!known.path) return { path: null, version: null, python: none };
      return { path: known.path, version: known.version, python: await probePython(runner, known.path) };
    }
    const path = await locateExecutable(config.mlxServer, { path: config.path, home: config.home });
    if (!path) return { path: null, version: null, python: none };
    const [version, python] = await Promise.all([
      probeServerVersion(runner, path),
      probePython(runner, path),
    ]);
    return { path, version, python };
  }
}

/** Converts a reading to the API's memory shape. */
export function toSystemMemory(sample: MemorySample, maxMemoryPercent: number): SystemMemory {
  const total = sample.total;
  return {
    total_gb: round2(total / GB),
    available_gb: round2(sample.available / GB),
    used_gb: round2(sample.used / GB),
    percent_used: total > 0 ? round2(sample.used / total * 100) : 0,
    mlx_recommended_gb: round2(total / GB * maxMemoryPercent / 100),
    total_bytes: total,
    used_bytes: sample.used,
    available_bytes: sample.available,
    swap_total_bytes: sample.swap?.total ?? null,
    swap_used_bytes: sample.swap?.used ?? null,
    pressure: sample.pressure,
    free_percent: sample.freePercent,
    gpu: sample.gpu && {
      utilization_percent: sample.gpu.utilization,
      in_use_bytes: sample.gpu.memoryInUse,
      allocated_bytes: sample.gpu.memoryAllocated,
    },
  };
}

/** Converts a reading to the `system.metrics` event. */
export function toMetricsEvent(sample: MemorySample, at: Date = new Date()): SystemMetricsEvent {
  return {
    memory: {
      total: sample.total,
      used: sample.used,
      percent: sample.total > 0 ? round2(sample.used / sample.total * 100) : 0,
    },
    swap: sample.swap ?? undefined,
    pressure: sample.pressure,
    gpu: sample.gpu && { utilization: sample.gpu.utilization, memoryInUse: sample.gpu.memoryInUse },
    at: at.toISOString(),
  };
}
