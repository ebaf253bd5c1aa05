/**
 * A small RAM file system of a fixed size, for tests of a full disk.
 * Mounting needs root (or a user namespace); {@link tmpfsUnavailable} says why
 * it cannot be used here, so such tests are ignored with that reason.
 *
 * @module
 */

/** A mounted tmpfs: its folder, unmounted and removed on dispose. */
export interface Tmpfs extends AsyncDisposable {
  dir: string;
}

async function run(args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const out = await new Deno.Command(args[0], { args: args.slice(1), stdout: "piped", stderr: "piped" })
      .output();
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    return { ok: out.success, output: text.trim() };
  } catch (error) {
    return { ok: false, output: String(error) };
  }
}

/** Mounts a tmpfs of `size` (as `mount -o size=` reads it, e.g. "8m") on a fresh folder. */
export async function mountTmpfs(size: string): Promise<Tmpfs> {
  const dir = await Deno.makeTempDir({ prefix: "mlx-manager-tmpfs-" });
  const mounted = await run(["mount", "-t", "tmpfs", "-o", `size=${size},mode=0755`, "tmpfs", dir]);
  if (!mounted.ok) {
    await Deno.remove(dir).catch(() => {});
    throw new Error(`Cannot mount a tmpfs on ${dir}: ${mounted.output}`);
  }
  return {
    dir,
    async [Symbol.asyncDispose]() {
      await run(["umount", "-l", dir]);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** Why a tmpfs cannot be mounted on this machine, or null when it can. */
export async function tmpfsUnavailable(): Promise<string | null> {
  try {
    await using _ = await mountTmpfs("1m");
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Writes zeros to `path` until the disk is full; returns the bytes written. */
export async function fillDisk(path: string): Promise<number> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const chunk = new Uint8Array(64 * 1024);
  let written = 0;
  try {
    while (true) written += await file.write(chunk);
  } catch (error) {
    if (!/No space left|os error 28/.test(String(error))) throw error;
  } finally {
    file.close();
  }
  // The last partial block may leave a few bytes: fill them one by one.
  const tail = await Deno.open(path, { append: true });
  try {
    while (true) written += await tail.write(new Uint8Array(1));
  } catch {
    /* full */
  } finally {
    tail.close();
  }
  return written;
}
