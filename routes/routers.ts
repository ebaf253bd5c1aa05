/**
 * Where every area's router is mounted, in mount order (a longer path before
 * the router of its parent path where both match).
 *
 * @module
 */
import type { Hono } from "hono";
import type { AppEnv } from "./env.ts";
import { eventsApi } from "./api/events.ts";
import { serversPages } from "./pages/servers.tsx";
import { authApi } from "./api/auth.ts";
import { usersApi } from "./api/users.ts";
import { authPages } from "./pages/auth.tsx";
import { usersPages } from "./pages/users.tsx";
import { profilesApi } from "./api/profiles.ts";
import { serversApi } from "./api/servers.ts";
import { parserOptionsApi } from "./api/parser_options.ts";
import { profilesPages } from "./pages/profiles.tsx";
import { chatApi } from "./api/chat.ts";
import { mcpApi, toolConfirmationsApi } from "./api/mcp.ts";
import { conversationsApi } from "./api/conversations.ts";
import { chatPages } from "./pages/chat.tsx";
import { modelsApi } from "./api/models.ts";
import { modelsPages } from "./pages/models.tsx";
import { systemInfoApi } from "./api/system_info.ts";
import { launchdApi } from "./api/launchd.ts";
import { systemPages } from "./pages/system.tsx";
import { keysApi } from "./api/keys.ts";
import { activityApi } from "./api/activity.ts";
import { usageApi } from "./api/usage.ts";
import { keysPages } from "./pages/keys.tsx";
import { activityPages } from "./pages/activity.tsx";
import { upstreamsApi } from "./api/upstreams.ts";
import { upstreamsPages } from "./pages/upstreams.tsx";

/** Each router behind the session check, with the path it is mounted at. */
export const ROUTERS: readonly (readonly [path: string, router: Hono<AppEnv>])[] = [
  ["/api/auth", authApi],
  ["/api/auth/users", usersApi],
  ["/api/events", eventsApi],
  ["/api/profiles", profilesApi],
  ["/api/servers", serversApi],
  ["/api/system/parser-options", parserOptionsApi],
  ["/api/chat/tool-confirmations", toolConfirmationsApi],
  ["/api/chat", chatApi],
  ["/api/mcp", mcpApi],
  ["/api/conversations", conversationsApi],
  ["/", authPages],
  ["/servers", serversPages],
  ["/users", usersPages],
  ["/profiles", profilesPages],
  ["/chat", chatPages],
  ["/api/models", modelsApi],
  ["/models", modelsPages],
  ["/api/system", systemInfoApi],
  ["/api/system/launchd", launchdApi],
  ["/system", systemPages],
  ["/api/keys", keysApi],
  ["/api/activity", activityApi],
  ["/api/usage", usageApi],
  ["/api/upstreams", upstreamsApi],
  ["/keys", keysPages],
  ["/activity", activityPages],
  ["/upstreams", upstreamsPages],
];
