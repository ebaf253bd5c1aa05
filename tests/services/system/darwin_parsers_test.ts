import assert from "node:assert/strict";
import {
  parseIoregGpu,
  parseMemoryPressure,
  parseSwapUsage,
  parseSwVers,
  parseSysctl,
  parseVmStat,
  pressureLevel,
  usedFromVmStat,
} from "../../../services/system/darwin_parsers.ts";
import { fixture } from "../../helpers/recorded_runner.ts";

const GIB = 1024 ** 3;

Deno.test("sw_vers gives the product name, version and build, not the kernel version", () => {
  assert.equal(parseSwVers(fixture("sw_vers.txt")), "macOS 15.3.1 (24D70)");
  assert.equal(parseSwVers("ProductName:\tMac OS X\nProductVersion:\t10.15.7\n"), "Mac OS X 10.15.7");
  assert.equal(parseSwVers(""), null);
  assert.equal(parseSwVers("garbage"), null);
});

Deno.test("sysctl output becomes a map of names to values", () => {
  const values = parseSysctl(fixture("sysctl_hw.txt"));
  assert.equal(values.get("hw.memsize"), "68719476736");
  assert.equal(values.get("hw.ncpu"), "16");
  const vm = parseSysctl(fixture("sysctl_vm.txt"));
  assert.equal(vm.get("kern.memorystatus_vm_pressure_level"), "1");
  assert.equal(vm.get("kern.memorystatus_level"), "36");
});

Deno.test("swap usage is read in bytes from its megabyte figures", () => {
  const vm = parseSysctl(fixture("sysctl_vm.txt"));
  assert.deepEqual(parseSwapUsage(vm.get("vm.swapusage")), { total: 3072 * 1024 ** 2, used: 1932787712 });
  assert.deepEqual(
    parseSwapUsage("total = 0.00M  used = 0.00M  free = 0.00M  (encrypted)"),
    { total: 0, used: 0 },
  );
  assert.deepEqual(parseSwapUsage("total = 1.50G  used = 512.00K  free = 1.50G"), {
    total: 1.5 * GIB,
    used: 512 * 1024,
  });
  assert.equal(parseSwapUsage(undefined), null);
  assert.equal(parseSwapUsage("unreadable"), null);
});

Deno.test("the kernel's pressure levels 1, 2 and 4 map to normal, warn and critical", () => {
  assert.equal(pressureLevel("1"), "normal");
  assert.equal(pressureLevel("2"), "warn");
  assert.equal(pressureLevel("4"), "critical");
  assert.equal(pressureLevel("3"), null);
  assert.equal(pressureLevel(undefined), null);
  const critical = parseSysctl(fixture("sysctl_vm_critical.txt"));
  assert.equal(pressureLevel(critical.get("kern.memorystatus_vm_pressure_level")), "critical");
  assert.equal(critical.has("kern.memorystatus_level"), false);
});

Deno.test("vm_stat pages are read with their page size", () => {
  const vm = parseVmStat(fixture("vm_stat.txt"))!;
  assert.equal(vm.pageSize, 16384);
  assert.equal(vm.pages.get("Pages free"), 83112);
  assert.equal(vm.pages.get("Anonymous pages"), 1784564);
  assert.equal(vm.pages.get("Pages occupied by compressor"), 301622);
  assert.equal(vm.pages.get("Translation faults"), 912345678);
  assert.equal(parseVmStat("no header here"), null);
});

Deno.test("memory in use counts app memory, wired and compressed pages as Activity Monitor does", () => {
  const vm = parseVmStat(fixture("vm_stat.txt"))!;
  // (anonymous 1784564 − purgeable 21904) + wired 661833 + compressor 301622 = 2726115 pages.
  assert.equal(usedFromVmStat(vm, 64 * GIB), 2726115 * 16384);
});

Deno.test("on systems without anonymous page counts, used memory is what is not free, inactive or speculative", () => {
  const vm = parseVmStat(fixture("vm_stat_legacy.txt"))!;
  assert.equal(vm.pageSize, 4096);
  assert.equal(usedFromVmStat(vm, 16 * GIB), 16 * GIB - (412345 + 1498765 + 54321) * 4096);
  assert.equal(usedFromVmStat({ pageSize: 4096, pages: new Map() }, GIB), null);
});

Deno.test("memory_pressure gives the system-wide free percentage", () => {
  assert.equal(parseMemoryPressure(fixture("memory_pressure.txt")), 36);
  assert.equal(parseMemoryPressure("nothing"), null);
});

Deno.test("ioreg gives GPU utilization, memory in use and cores from PerformanceStatistics", () => {
  assert.deepEqual(parseIoregGpu(fixture("ioreg_gpu_busy.txt")), {
    utilization: 87,
    memoryInUse: 19327352832,
    memoryAllocated: 33285996544,
    cores: 40,
  });
  const idle = parseIoregGpu(fixture("ioreg_gpu_idle.txt"))!;
  assert.equal(idle.utilization, 4);
  assert.equal(idle.memoryInUse, 1073741824);
  assert.equal(parseIoregGpu(fixture("ioreg_gpu_none.txt")), null);
});

Deno.test("ioreg parsing is not fooled by the driver key, the legend or a cut-off line", () => {
  const busy = fixture("ioreg_gpu_busy.txt");
  // The "(driver)" key comes first and is 0; a prefix match would report 0 bytes.
  assert.ok(busy.indexOf('"In use system memory (driver)"=0') < busy.indexOf('"In use system memory"='));
  assert.equal(parseIoregGpu(busy)!.memoryInUse, 19327352832);
  const cut = busy.slice(0, busy.indexOf('"Device Utilization %"=') + 24);
  assert.equal(parseIoregGpu(cut), null);
});

Deno.test("several accelerators report the busiest utilization and the sum of their memory", () => {
  const text = fixture("ioreg_gpu_busy.txt") + fixture("ioreg_gpu_idle.txt");
  const gpu = parseIoregGpu(text)!;
  assert.equal(gpu.utilization, 87);
  assert.equal(gpu.memoryInUse, 19327352832 + 1073741824);
  assert.equal(gpu.cores, 80);
});
