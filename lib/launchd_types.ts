/**
 * What the launchd status endpoint answers; shared by the service and the
 * profile page's panel. Browser-safe: types only.
 *
 * @module
 */

/** What the status endpoint answers. */
export interface LaunchdStatus {
  label: string;
  plist_path: string;
  /** The plist is in the LaunchAgents folder. */
  installed: boolean;
  /** launchd knows the job. */
  loaded: boolean;
  running: boolean;
  pid: number | null;
  /** launchd's word for it: "running", "not running", … (null when not loaded). */
  state: string | null;
  last_exit_code: number | null;
  last_signal: string | null;
}
