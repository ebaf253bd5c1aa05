/**
 * `GET /api/events`: the live event stream for browsers (SSE).
 *
 * Sends `hello` first, replays what a reconnecting client missed (from its
 * `Last-Event-ID`) or tells it to `resync`, then every new event it may see.
 *
 * @module
 */
import { Hono } from "hono";
import { sseResponse } from "../../lib/sse.ts";
import { streamOptions } from "../streams.ts";
import type { BusEvent } from "../../services/events.ts";
import { viewFor } from "../../services/mcp/mod.ts";
import type { AppEnv } from "../env.ts";

/** The events API. */
export const eventsApi = new Hono<AppEnv>();

eventsApi.get("/", (c) => {
  const { bus } = c.var.deps;
  const user = c.var.user;
  const raw = c.req.header("last-event-id") ?? c.req.query("lastEventId");
  const lastId = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
  const visible = (e: BusEvent) => e.audience === "all" || user?.isAdmin === true;
  const viewer = { isAdmin: user?.isAdmin === true };
  // What a user may see of an event's data: an MCP server's arguments are an admin's to read.
  const shown = (e: BusEvent) =>
    e.type === "mcp.changed" && e.data.server
      ? { ...e.data, server: viewFor(e.data.server, viewer) }
      : e.data;

  return sseResponse((sse) => {
    const send = (e: BusEvent) => visible(e) && sse.send({ event: e.type, id: e.id, data: shown(e) });
    sse.send({ event: "hello", retry: 2000, data: { bootId: bus.bootId } });
    if (lastId !== null) {
      const missed = bus.since(lastId);
      if (missed === null) {
        sse.send({
          event: "resync",
          data: { reason: "Some live updates were missed" },
        });
      } else missed.forEach(send);
    }
    return bus.subscribe(send, { client: true });
  }, streamOptions(c));
});
