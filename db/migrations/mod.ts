/**
 * Every migration, in order. Each area adds its own file and one line here.
 *
 * @module
 */
import type { Migration } from "../migrate.ts";
import { core } from "./001_core.ts";
import { accounts } from "./002_accounts.ts";
import { profiles } from "./003_profiles.ts";
import { downloads } from "./004_downloads.ts";
import { conversations } from "./005_conversations.ts";
import { profileLifecycle } from "./006_profile_lifecycle.ts";
import { mcpServers } from "./008_mcp_servers.ts";
import { gateway } from "./007_gateway.ts";
import { profileSampling } from "./009_profile_sampling.ts";
import { upstreams } from "./010_upstreams.ts";
import { serverOptions } from "./011_server_options.ts";
import { responses } from "./012_responses.ts";
import { limits } from "./013_limits.ts";

/** All migrations of the app. */
export const MIGRATIONS: readonly Migration[] = [
  core,
  accounts,
  profiles,
  downloads,
  conversations,
  profileLifecycle,
  mcpServers,
  gateway,
  profileSampling,
  upstreams,
  serverOptions,
  responses,
  limits,
];
