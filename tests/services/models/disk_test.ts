import assert from "node:assert/strict";
import { dfDiskUsage, parseDfOutput } from "../../../services/models/disk.ts";

Deno.test("parseDfOutput() reads Linux df -Pk output", () => {
  const out = "Filesystem     1024-blocks     Used Available Capacity Mounted on\n" +
    "/dev/vda         264212084 23513244  82877668      23% /\n";
  assert.deepEqual(parseDfOutput(out), { total: 264212084 * 1024, free: 82877668 * 1024, mount: "/" });
});

Deno.test("parseDfOutput() reads macOS df -Pk output with spaces in the mount point", () => {
  const out = "Filesystem   1024-blocks      Used Available Capacity  Mounted on\n" +
    "/dev/disk3s5   971350180 612345678 341234567    65%    /System/Volumes/Data\n";
  assert.deepEqual(parseDfOutput(out), {
    total: 971350180 * 1024,
    free: 341234567 * 1024,
    mount: "/System/Volumes/Data",
  });
  const spaced = "Filesystem 1024-blocks Used Available Capacity Mounted on\n" +
    "//me@nas/Share Drive 1000 400 600 40% /Volumes/Share Drive\n";
  assert.equal(parseDfOutput(spaced).mount, "/Volumes/Share Drive");
  assert.equal(parseDfOutput(spaced).free, 600 * 1024);
});

Deno.test("parseDfOutput() throws on output it cannot read", () => {
  assert.throws(() => parseDfOutput("df: /nope: No such file or directory\n"), /Cannot read disk usage/);
});

Deno.test("dfDiskUsage() reads this machine's disk, also for a folder that does not exist yet", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const usage = await dfDiskUsage(`${dir}/not/yet/created`);
    assert.ok(usage.total > 0 && usage.free > 0 && usage.free <= usage.total);
    assert.ok(usage.mount.startsWith("/"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
