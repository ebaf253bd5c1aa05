/**
 * Live reload for development: `/_dev/reload` streams the server's boot id and
 * a `reload` event whenever `_build/` changes; `/_dev/reload.js` reloads the
 * page on either.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { sseResponse } from "../../lib/sse.ts";
import { BUILD_DIR } from "../../lib/paths.ts";

const CLIENT = `let boot;
const source = new EventSource("/_dev/reload");
source.addEventListener("boot", (e) => { if (boot && boot !== e.data) location.reload(); boot = e.data; });
source.addEventListener("reload", () => location.reload());
`;

/**
 * Answers the live-reload paths and watches `buildDir`; mount only in development.
 *
 * @example
 * ```ts
 * if (config.dev) app.use(devReload());
 * ```
 */
export function devReload(buildDir: string = BUILD_DIR): MiddlewareHandler {
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

  return async function devReload(c, next) {
    if (c.req.method !== "GET") return await next();
    if (c.req.path === "/_dev/reload.js") {
      return c.body(CLIENT, 200, { "content-type": "text/javascript", "cache-control": "no-store" });
    }
    if (c.req.path !== "/_dev/reload") return await next();
    return sseResponse((sse) => {
      sse.send({ event: "boot", retry: 250, data: bootId });
      const notify = () => sse.send({ event: "reload", data: "" });
      listeners.add(notify);
      return () => listeners.delete(notify);
    }, { signal: c.req.raw.signal });
  };
}
