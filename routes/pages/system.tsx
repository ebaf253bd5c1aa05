/**
 * The System page: live memory and GPU with a chart, the machine, and the
 * versions of everything that runs on it.
 *
 * @module
 */
import { memoryBudgetBytes } from "../../lib/memory_budget.ts";
import { Hono } from "hono";
import { type ComponentChildren, Fragment } from "preact";
import { upgradeNotes } from "../../lib/server_features.ts";
import { renderPage } from "../render.tsx";
import { formatBytes } from "../../lib/format.ts";
import SystemMonitor from "../../islands/SystemMonitor.tsx";
import McpServers from "../../islands/McpServers.tsx";
import { viewFor } from "../../services/mcp/mod.ts";
import { ExoNote } from "../../components/upstreams/ExoNote.tsx";
import type { SystemInfo } from "../../services/system/mod.ts";
import type { AppEnv } from "../env.ts";

/** Pages under `/system`. */
export const systemPages = new Hono<AppEnv>();

/** Readings the chart holds: ten minutes at the default interval. */
const CHART_POINTS = 120;

function Facts({ title, rows }: { title: string; rows: [string, ComponentChildren, string?][] }) {
  return (
    <section class="card" aria-label={title}>
      <h2 class="mb-3 font-semibold">{title}</h2>
      <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        {rows.map(([label, value, testId]) => (
          <Fragment key={label}>
            <dt class="muted">{label}</dt>
            <dd class="min-w-0 break-words" data-testid={testId}>{value ?? "—"}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}

function ServerVersion({ info }: { info: SystemInfo }) {
  if (!info.mlx_openai_server_path) {
    return (
      <span>
        <span class="badge badge-yellow">Not found</span>{" "}
        <span class="hint">
          Install it with <code class="mono">pip install mlx-openai-server</code>{" "}
          or set MLX_MANAGER_MLX_SERVER
        </span>
      </span>
    );
  }
  const upgrades = upgradeNotes(info.mlx_openai_server_version);
  return (
    <span>
      {info.mlx_openai_server_version ?? "unknown version"}{" "}
      <span class="mono muted block">{info.mlx_openai_server_path}</span>
      {upgrades.length > 0 && (
        <span class="hint block" data-testid="server-upgrades">
          Upgrading (<code class="mono">pip install -U mlx-openai-server</code>) would add:
          <ul class="list-disc pl-5">
            {upgrades.map((u) => <li key={u.version}>{u.version}: {u.enables}</li>)}
          </ul>
        </span>
      )}
    </span>
  );
}

systemPages.get("/", async (c) => {
  const { system, metrics, config, mcp } = c.var.deps;
  const [info, initial] = await Promise.all([system.info(), system.metrics()]);
  const recommendedBytes = memoryBudgetBytes(initial.memory.total, config.maxMemoryPercent);
  return renderPage(
    c,
    <>
      <div class="mb-4">
        <h1 class="page-title">System</h1>
        <p class="muted text-sm">{info.chip} · {info.os_version}</p>
      </div>
      <div class="space-y-4">
        {/* A wrapper: the island's own element has display: contents and takes no margin. */}
        <div>
          <SystemMonitor
            initial={initial}
            history={metrics.history().slice(-CHART_POINTS)}
            capacity={CHART_POINTS}
            intervalSeconds={config.metricsInterval}
            recommendedBytes={recommendedBytes}
          />
        </div>
        <div class="grid gap-4 md:grid-cols-2">
          <Facts
            title="Machine"
            rows={[
              ["System", info.os_version, "os-version"],
              ["Kernel", info.kernel],
              ["Chip", info.chip, "chip"],
              ["CPU cores", info.cpu_cores],
              ["GPU cores", info.gpu_cores],
              ["Memory", formatBytes(info.memory_bytes), "memory"],
              ["Architecture", info.arch],
            ]}
          />
          <Facts
            title="Software"
            rows={[
              ["MLX Manager", info.manager_version, "manager-version"],
              ["Deno", info.deno_version, "deno-version"],
              ["mlx-openai-server", <ServerVersion key="server" info={info} />, "server-version"],
              ["Python", info.python_version],
              ["mlx", info.mlx_version],
              ["mlx-lm", info.mlx_lm_version],
              ["launchd services", info.launchd_available ? "Available" : "macOS only"],
            ]}
          />
        </div>
        <div>
          <McpServers
            servers={mcp.list().map((s) => viewFor(s, c.var.user!))}
            isAdmin={c.var.user!.isAdmin}
          />
        </div>
        <ExoNote memoryBytes={info.memory_bytes} isAdmin={c.var.user!.isAdmin} />
      </div>
    </>,
    { title: "System" },
  );
});
