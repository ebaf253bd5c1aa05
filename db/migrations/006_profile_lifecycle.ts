import type { Migration } from "../migrate.ts";

/**
 * What the one OpenAI endpoint needs of a profile: other names it answers to
 * (`aliases`, a JSON list), how long it may sit idle before it is stopped
 * (`idle_timeout` in seconds; null or 0 = never) and whether it is spared when
 * memory is needed for another model (`keep_loaded`).
 */
export const profileLifecycle: Migration = {
  version: 6,
  name: "profile_lifecycle",
  sql: `
    ALTER TABLE profiles ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE profiles ADD COLUMN idle_timeout INTEGER CHECK (idle_timeout IS NULL OR idle_timeout >= 0);
    ALTER TABLE profiles ADD COLUMN keep_loaded INTEGER NOT NULL DEFAULT 0 CHECK (keep_loaded IN (0, 1));
  `,
};
