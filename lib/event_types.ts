/**
 * The live events the server pushes to browsers over `GET /api/events`.
 * Browser-safe: imported by services and islands alike.
 *
 * @module
 */
import type { DownloadView } from "./model_types.ts";

/** Every event type and the shape of its data. */
export interface EventMap {
  /** Sent first on every connection; `bootId` changes when the manager restarts. */
  hello: { bootId: string };
  /** Sent when a reconnecting client missed events the server no longer holds: refetch state. */
  resync: { reason: string };
  /** A message for everyone, shown as a toast. */
  notice: { message: string; kind: "info" | "success" | "error" };
  /** The number of registrations waiting for approval (admins only). */
  "users.pending": { count: number };
  /** Any change to the list of users (admins only). */
  "users.changed": { id: number };
  /** Memory in use on this machine, about every few seconds. */
  "system.metrics": SystemMetricsEvent;
  /** A model server changed state, health or metrics. */
  "server.update": Record<string, unknown>;
  /** The list of profiles changed. */
  "profiles.changed": { id: number | null };
  /** A download job changed state, or made progress (about once a second while running). */
  "download.update": DownloadUpdateEvent;
  /** The local model cache changed. */
  "models.changed": { id: string | null };
}

/** A download job as `GET /api/models/downloads` lists it: bytes done/total, speed, ETA, current file. */
export type DownloadUpdateEvent = DownloadView;

/** Memory and GPU figures for the navbar and the System page. */
export interface SystemMetricsEvent {
  memory: { total: number; used: number; percent: number };
  swap?: { total: number; used: number };
  pressure?: string | null;
  gpu?: { utilization: number | null; memoryInUse: number | null } | null;
  at: string;
}

/** Event type names. */
export type EventType = keyof EventMap;
