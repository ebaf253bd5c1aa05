/**
 * The island registry: every interactive component hydrated in the browser,
 * exported under its own name.
 *
 * @module
 */
export { default as ActivityView } from "./ActivityView.tsx";
export { default as AgentSetups } from "./AgentSetups.tsx";
export { default as Chat } from "./Chat.tsx";
export { default as ConnectCard } from "./ConnectCard.tsx";
export { default as KeysManager } from "./KeysManager.tsx";
export { default as LastRequests } from "./LastRequests.tsx";
export { default as LaunchdPanel } from "./LaunchdPanel.tsx";
export { default as LoginForm } from "./LoginForm.tsx";
export { default as McpServers } from "./McpServers.tsx";
export { default as MemoryIndicator } from "./MemoryIndicator.tsx";
export { default as ModelActions } from "./ModelActions.tsx";
export { default as ModelBrowser } from "./ModelBrowser.tsx";
export { default as ModelReadme } from "./ModelReadme.tsx";
export { default as PendingBadge } from "./PendingBadge.tsx";
export { default as ProfileForm } from "./ProfileForm.tsx";
export { default as ProfileList } from "./ProfileList.tsx";
export { default as RegisterForm } from "./RegisterForm.tsx";
export { default as RemoteServers } from "./RemoteServers.tsx";
export { default as RunProgress } from "./RunProgress.tsx";
export { default as ServerBoard } from "./ServerBoard.tsx";
export { default as SystemMonitor } from "./SystemMonitor.tsx";
export { default as ThemeSwitch } from "./ThemeSwitch.tsx";
export { default as Toaster } from "./Toaster.tsx";
export { default as UpstreamsManager } from "./UpstreamsManager.tsx";
export { default as UsageView } from "./UsageView.tsx";
export { default as UsersTable } from "./UsersTable.tsx";
