/**
 * Platform probes: how memory, swap, pressure, GPU and the machine's identity
 * are read on macOS (commands through a {@link CommandRunner}) and on Linux
 * (`/proc` and `/etc/os-release`), with `node:os` as the fallback elsewhere.
 *
 * @module
 */
import { cpus, freemem, totalmem } from "node:os";
import type { CommandRunner } from "../platform/runner.ts";
import {
  type GpuStats,
  parseIoregGpu,
  parseMemoryPressure,
  parseSwapUsage,
  parseSwVers,
  parseSysctl,
  parseVmStat,
  type PressureLevel,
  pressureLevel,
  toCount,
  usedFromVmStat,
} from "./darwin_parsers.ts";
import { parseMeminfo, parseOsRelease } from "./linux_parsers.ts";

/** One reading of memory, swap, pressure and GPU, in bytes. */
export interface MemorySample {
  total: number;
  used: number;
  available: number;
  swap: { total: number; used: number } | null;
  pressure: PressureLevel | null;
  /** The kernel's "memory free percentage" (macOS). */
  freePercent: number | null;
  gpu: GpuStats | null;
}

/** What does not change while the machine runs. */
export interface HostInfo {
  /** "macOS 15.3.1 (24D70)", "Debian GNU/Linux 12 (bookworm)". */
  osVersion: string;
  /** "Darwin 24.3.0", "Linux 6.1.0-18-amd64". */
  kernel: string;
  chip: string;
  cpuCores: number;
  gpuCores: number | null;
  memoryBytes: number;
}

/** Reads the machine. */
export interface PlatformProbe {
  memory(): Promise<MemorySample>;
  host(): Promise<HostInfo>;
}

/** The OS names {@link createProbe} distinguishes (`Deno.build.os` values). */
export type OsName = typeof Deno.build.os;

/** Options of {@link createProbe}. */
export interface ProbeOptions {
  os: OsName;
  runner: CommandRunner;
  /** The kernel release (`uname -r`). @default Deno.osRelease() */
  kernelRelease?: string;
  /** Reads a file; tests may serve fixtures. @default Deno.readTextFile */
  readTextFile?: (path: string) => Promise<string>;
}

/**
 * The probe for `os`.
 *
 * @example
 * ```ts
 * const probe = createProbe({ os: Deno.build.os, runner: new DenoCommandRunner() });
 * (await probe.memory()).used;
 * ```
 */
export function createProbe(options: ProbeOptions): PlatformProbe {
  const kernel = options.kernelRelease ?? Deno.osRelease();
  const read = options.readTextFile ?? ((path: string) => Deno.readTextFile(path));
  if (options.os === "darwin") return darwinProbe(options.runner, kernel);
  if (options.os === "linux") return linuxProbe(read, kernel);
  return nodeProbe(options.os, kernel);
}

function cpuModel(): string {
  return cpus()[0]?.model?.trim() || "Unknown";
}

function darwinProbe(runner: CommandRunner, kernel: string): PlatformProbe {
  const stdout = async (cmd: string, args: string[]) => {
    const result = await runner.run(cmd, args);
    return result.code === 0 ? result.stdout : "";
  };
  let memsize: Promise<number> | null = null;
  const hw = async () => parseSysctl(await stdout("sysctl", ["hw.memsize", "hw.ncpu"]));
  // hw.memsize, not node:os: other sources over-report the physical memory on macOS.
  const physical = () => memsize ??= hw().then((v) => toCount(v.get("hw.memsize")) ?? totalmem());
  return {
    async memory() {
      const [total, vmText, vmValues, gpuText] = await Promise.all([
        physical(),
        stdout("vm_stat", []),
        stdout("sysctl", [
          "-i",
          "vm.swapusage",
          "kern.memorystatus_vm_pressure_level",
          "kern.memorystatus_level",
        ]),
        stdout("ioreg", ["-r", "-d", "1", "-w", "0", "-c", "IOAccelerator"]),
      ]);
      const vm = parseVmStat(vmText);
      const sysctl = parseSysctl(vmValues);
      const used = (vm && usedFromVmStat(vm, total)) ?? total - freemem();
      let freePercent = toCount(sysctl.get("kern.memorystatus_level"));
      if (freePercent === null) freePercent = parseMemoryPressure(await stdout("memory_pressure", []));
      return {
        total,
        used,
        available: total - used,
        swap: parseSwapUsage(sysctl.get("vm.swapusage")),
        pressure: pressureLevel(sysctl.get("kern.memorystatus_vm_pressure_level")),
        freePercent,
        gpu: parseIoregGpu(gpuText),
      };
    },
    async host() {
      const [versions, brand, values, gpuText] = await Promise.all([
        stdout("sw_vers", []),
        stdout("sysctl", ["-n", "machdep.cpu.brand_string"]),
        hw(),
        stdout("ioreg", ["-r", "-d", "1", "-w", "0", "-c", "IOAccelerator"]),
      ]);
      return {
        osVersion: parseSwVers(versions) ?? `macOS (Darwin ${kernel})`,
        kernel: `Darwin ${kernel}`,
        chip: brand.trim() || "Unknown",
        cpuCores: toCount(values.get("hw.ncpu")) ?? cpus().length,
        gpuCores: parseIoregGpu(gpuText)?.cores ?? null,
        memoryBytes: await physical(),
      };
    },
  };
}

function linuxProbe(read: (path: string) => Promise<string>, kernel: string): PlatformProbe {
  const text = (path: string) => read(path).catch(() => "");
  return {
    async memory() {
      const info = parseMeminfo(await text("/proc/meminfo"));
      const total = info?.total ?? totalmem();
      const available = info?.available ?? freemem();
      return {
        total,
        used: total - available,
        available,
        swap: info ? { total: info.swapTotal, used: info.swapTotal - info.swapFree } : null,
        pressure: null,
        freePercent: null,
        gpu: null,
      };
    },
    async host() {
      const os = parseOsRelease(await text("/etc/os-release")) ??
        parseOsRelease(await text("/usr/lib/os-release")) ?? "Linux";
      const info = parseMeminfo(await text("/proc/meminfo"));
      return {
        osVersion: os,
        kernel: `Linux ${kernel}`,
        chip: cpuModel(),
        cpuCores: cpus().length,
        gpuCores: null,
        memoryBytes: info?.total ?? totalmem(),
      };
    },
  };
}

function nodeProbe(os: OsName, kernel: string): PlatformProbe {
  return {
    memory() {
      const total = totalmem();
      const available = freemem();
      return Promise.resolve({
        total,
        used: total - available,
        available,
        swap: null,
        pressure: null,
        freePercent: null,
        gpu: null,
      });
    },
    host() {
      return Promise.resolve({
        osVersion: `${os} ${kernel}`,
        kernel: `${os} ${kernel}`,
        chip: cpuModel(),
        cpuCores: cpus().length,
        gpuCores: null,
        memoryBytes: totalmem(),
      });
    },
  };
}
