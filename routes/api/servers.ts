/**
 * `/api/servers`: start, stop, restart and watch model servers, and each
 * server's log as Server-Sent Events.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { sseResponse } from "../../lib/sse.ts";
import { streamOptions } from "../streams.ts";
import { idParam, readQuery } from "../validate.ts";
import type { AppEnv } from "../env.ts";
import { adminOnly } from "../middleware/admin_only.ts";
import { type FailureCause, statusCause } from "../../lib/server_reason.ts";
import { cleanLine } from "../../services/supervisor/logs.ts";
import { join } from "node:path";

/** The servers API. */
export const serversApi = new Hono<AppEnv>();

const flag = (name: string) =>
  z.enum(["true", "false", "1", "0"], { error: `${name} must be true or false` })
    .optional()
    .transform((v) => v === "true" || v === "1");

const StartQuery = z.object({ wait: flag("wait") });
const StopQuery = z.object({ force: flag("force") });
const LogsQuery = z.object({
  download: flag("download"),
  lines: z.coerce.number({ error: "lines must be a whole number from 0 to 1000" })
    .int("lines must be a whole number from 0 to 1000")
    .min(0, "lines must be a whole number from 0 to 1000")
    .max(1000, "lines must be a whole number from 0 to 1000")
    .optional()
    .transform((v) => v ?? 100),
});

function profileId(c: Context<AppEnv>): number {
  return idParam(c, "id", "Profile");
}

serversApi.get("/", (c) => c.json(c.var.deps.supervisor.list()));

serversApi.post("/:id/start", async (c) => {
  const id = profileId(c);
  const { wait } = readQuery(c, StartQuery);
  return c.json(await c.var.deps.supervisor.start(id, { wait }));
});

serversApi.post("/:id/stop", async (c) => {
  const id = profileId(c);
  const { force } = readQuery(c, StopQuery);
  const status = await c.var.deps.supervisor.stop(id, { force });
  return c.json({ stopped: true, ...status });
});

serversApi.post("/:id/restart", async (c) => {
  const id = profileId(c);
  const { wait } = readQuery(c, StartQuery);
  return c.json(await c.var.deps.supervisor.restart(id, { wait }));
});

/** Moves the profile to the next free port and starts its server again (admins: it changes the profile). */
serversApi.post("/:id/free-port", adminOnly("Only an admin can edit profiles"), async (c) => {
  const id = profileId(c);
  const { profiles, supervisor } = c.var.deps;
  await profiles.update(id, { port: await profiles.nextPort() });
  return c.json(await supervisor.restart(id));
});

serversApi.get("/:id/health", async (c) => c.json(await c.var.deps.supervisor.health(profileId(c))));

/** Log lines read to find why a server failed: a Python traceback can be long. */
const REASON_LOG_LINES = 400;

serversApi.get("/:id/status", async (c) => {
  const { supervisor } = c.var.deps;
  const id = profileId(c);
  const status = supervisor.status(id);
  const failed = status.state === "failed" || status.state === "crashed";
  let cause: FailureCause | null = null;
  if (failed) {
    await supervisor.loadLogHistory(id);
    cause = statusCause(status.last_error, supervisor.logLines(id, REASON_LOG_LINES), {
      model: status.model_path,
      port: status.port,
    });
  }
  return c.json({
    ...status,
    // One plain sentence saying why it failed; null unless it failed or crashed.
    reason: cause?.text ?? null,
    // The kind of a known cause ("port_in_use", "out_of_memory"…), or null.
    reason_code: cause?.code ?? null,
    // Flat fields for clients that do not read `state`.
    running: status.state === "running" || status.state === "starting",
    failed,
    error_message: status.last_error,
  });
});

/**
 * A log file as plain text, line by line without colour codes, streamed so a
 * large log costs no memory; `null` when the file does not exist.
 */
async function cleanedLog(path: string): Promise<ReadableStream<Uint8Array> | null> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return null;
  }
  let partial = "";
  return file.readable
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(
      new TransformStream<string, string>({
        transform(chunk, out) {
          const parts = (partial + chunk).split("\n");
          partial = parts.pop()!;
          const text = parts.map(cleanLine).filter((l) => l !== "").map((l) => `${l}\n`).join("");
          if (text) out.enqueue(text);
        },
        flush(out) {
          const last = cleanLine(partial);
          if (last) out.enqueue(`${last}\n`);
        },
      }),
    )
    .pipeThrough(new TextEncoderStream());
}

function logFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "server";
  return `${safe}.log`;
}

serversApi.get("/:id/logs", async (c) => {
  const { supervisor, config } = c.var.deps;
  const id = profileId(c);
  const { lines, download } = readQuery(c, LogsQuery);
  await supervisor.loadLogHistory(id);
  if (download) {
    const status = supervisor.status(id);
    // The supervisor's log file for the profile; its kept lines when there is none (yet).
    const body = await cleanedLog(join(config.dataDir, "logs", `server-${id}.log`)) ??
      supervisor.logLines(id, Number.MAX_SAFE_INTEGER).map((l) => `${l}\n`).join("");
    return c.body(body, 200, {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="${logFileName(status.profile_name)}"`,
      "cache-control": "no-store",
    });
  }
  return sseResponse((sse) => {
    // No await between reading the buffer and subscribing: no line is lost or repeated.
    for (const line of supervisor.logLines(id, lines)) sse.send({ data: { line } });
    return supervisor.onLogLine(id, (line) => sse.send({ data: { line } }));
  }, streamOptions(c));
});
