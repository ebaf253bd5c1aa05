/**
 * Live reload for development: `/_dev/reload` streams the server's boot id and
 * a `reload` event whenever `_build/` changes; `/_dev/reload.js` reloads the
 * page on either.
 *
 * @module
 */
import { Hono } from "hono";
import { sseResponse } from "./sse.ts";
import { BUILD_DIR } from "./assets.ts";

const CLIENT = `let boot;
const source = new EventSource("/_dev/reload");
source.addEventListener("boot", (e) => { if (boot && boot !== e.data) location.reload(); boot = e.data; });
source.addEventListener("reload", () => location.reload());
`;

/** Creates the live-reload routes; mount only in development. */
export function devReload(buildDir: string = BUILD_DIR): Hono {
  const bootId = crypto.randomUUID();
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  (async () => {
    const watcher = Deno.watchFs(buildDir);
    for await (const _ of watcher) {
      clearTimeout(timer);
      timer = setTimeout(() => listeners.forEach((notify) => notify()), 150);
    }
  })().catch(() => {});

  const app = new Hono();
  app.get(
    "/reload.js",
    (c) =>
      c.body(CLIENT, 200, {
        "content-type": "text/javascript",
        "cache-control": "no-store",
      }),
  );
  app.get("/reload", (c) =>
    sseResponse((sse) => {
      sse.send({ event: "boot", retry: 250, data: bootId });
      const notify = () => sse.send({ event: "reload", data: "" });
      listeners.add(notify);
      return () => listeners.delete(notify);
    }, { signal: c.req.raw.signal }));
  return app;
}
