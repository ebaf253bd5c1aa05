/**
 * A download manager on a fresh cache folder and in-memory database, against
 * a fake hub, for service tests.
 *
 * @module
 */
import { openDb } from "../../db/mod.ts";
import { createLogger } from "../../lib/logger.ts";
import type { DownloadView } from "../../lib/model_types.ts";
import { HashThread } from "../../services/downloads/hash_thread.ts";
import { DownloadManager, type DownloadManagerOptions } from "../../services/downloads/manager.ts";
import { type BusEvent, EventBus } from "../../services/events.ts";
import { HubClient } from "../../services/hub/client.ts";
import { dfDiskUsage } from "../../services/models/disk.ts";
import { type FakeHub, type FakeHubKnobs, type FakeRepoSpec, startFakeHub } from "../fixtures/fake_hub.ts";

/** What {@link downloadSetup} builds; `await using` closes it. */
export interface DownloadSetup extends AsyncDisposable {
  hub: FakeHub;
  cache: string;
  db: ReturnType<typeof openDb>;
  bus: EventBus;
  events: BusEvent[];
  manager: DownloadManager;
  /** The hash thread the managers share, closed by {@link DownloadSetup.close}. */
  hashThread: HashThread;
  /** A second manager on the same database and cache (a restart). */
  restart(): DownloadManager;
  /** Waits until a job reaches one of `statuses`. */
  waitFor(
    taskId: string,
    statuses: string[],
    timeoutMs?: number,
    manager?: DownloadManager,
  ): Promise<DownloadView>;
  /** Waits until a job has at least `bytes` downloaded. */
  waitForBytes(taskId: string, bytes: number, manager?: DownloadManager): Promise<DownloadView>;
  close(): Promise<void>;
}

/** Builds a manager with short retries and frequent progress, against a fake hub with `repos`. */
export async function downloadSetup(
  repos: FakeRepoSpec[],
  options: { knobs?: FakeHubKnobs; token?: string; manager?: Partial<DownloadManagerOptions> } = {},
): Promise<DownloadSetup> {
  const hub = startFakeHub(repos, options.knobs);
  const cache = await Deno.makeTempDir({ prefix: "hf-cache-" });
  const db = openDb(":memory:");
  const bus = new EventBus();
  const events: BusEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const managers: DownloadManager[] = [];
  const hashThread = new HashThread();
  const make = () => {
    const m = new DownloadManager({
      db,
      bus,
      hub: new HubClient({ endpoint: hub.url, token: options.token ?? null, offline: false }),
      cacheDir: cache,
      logger: createLogger("silent"),
      diskUsage: dfDiskUsage,
      hashThread,
      retry: { baseMs: 20, maxMs: 100, attempts: 6 },
      progressIntervalMs: 50,
      reserveBytes: 0,
      ...options.manager,
    });
    managers.push(m);
    return m;
  };
  const manager = make();
  async function poll(
    check: () => DownloadView | null,
    what: string,
    timeoutMs = 15_000,
  ): Promise<DownloadView> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const view = check();
      if (view) return view;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`Timed out waiting for ${what}`);
  }
  async function close() {
    for (const m of managers) await m.close();
    hashThread.close();
    await hub.close();
    db.close();
    await Deno.remove(cache, { recursive: true });
  }
  return {
    hub,
    cache,
    db,
    bus,
    events,
    manager,
    hashThread,
    restart: make,
    waitFor: (taskId, statuses, timeoutMs, m = manager) =>
      poll(
        () => {
          const v = m.get(taskId);
          return v && statuses.includes(v.status) ? v : null;
        },
        `status ${statuses.join("/")}`,
        timeoutMs,
      ),
    waitForBytes: (taskId, bytes, m = manager) =>
      poll(() => {
        const v = m.get(taskId);
        return v && v.downloaded_bytes >= bytes ? v : null;
      }, `${bytes} bytes`),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Every file under `dir`, recursively, as paths relative to it. */
export async function listTree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(...await listTree(`${dir}/${entry.name}`, rel));
    else out.push(rel);
  }
  return out.sort();
}
