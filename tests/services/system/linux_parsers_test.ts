import assert from "node:assert/strict";
import { parseMeminfo, parseOsRelease } from "../../../services/system/linux_parsers.ts";

const MEMINFO = `MemTotal:       16314736 kB
MemFree:          812344 kB
MemAvailable:    9437184 kB
Buffers:          204800 kB
Cached:          7340032 kB
SwapCached:            0 kB
Active(anon):    3145728 kB
SwapTotal:       2097148 kB
SwapFree:        1048572 kB
HugePages_Total:       0
`;

Deno.test("/proc/meminfo gives total, available and swap in bytes", () => {
  assert.deepEqual(parseMeminfo(MEMINFO), {
    total: 16314736 * 1024,
    available: 9437184 * 1024,
    swapTotal: 2097148 * 1024,
    swapFree: 1048572 * 1024,
  });
});

Deno.test("old kernels without MemAvailable count free, buffers and cache as available", () => {
  const old = MEMINFO.replace(/^MemAvailable.*\n/m, "");
  assert.equal(parseMeminfo(old)!.available, (812344 + 204800 + 7340032) * 1024);
  assert.equal(parseMeminfo("nonsense"), null);
});

Deno.test("/etc/os-release gives the pretty name, unquoted", () => {
  assert.equal(
    parseOsRelease(
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n',
    ),
    "Debian GNU/Linux 12 (bookworm)",
  );
  assert.equal(parseOsRelease("NAME=Alpine\nVERSION='3.20 edge'\n"), "Alpine 3.20 edge");
  assert.equal(parseOsRelease("ID=x\n"), null);
});
