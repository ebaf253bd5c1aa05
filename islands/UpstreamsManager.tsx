import { useSignal } from "@preact/signals";
import { ConfirmPrompt } from "../components/ui/Dialog.tsx";
import { Alert } from "../components/ui/Field.tsx";
import { UpstreamCard } from "../components/upstreams/UpstreamCard.tsx";
import { UpstreamForm } from "../components/upstreams/UpstreamForm.tsx";
import { api } from "../lib/client/api.ts";
import { useCollection } from "../lib/client/collection.ts";
import { useConfirm } from "../lib/client/confirm.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { replaceItem } from "../lib/client/items.ts";
import type { UpstreamView } from "../lib/upstream_types.ts";

/** Props of {@link UpstreamsManager}. */
export interface UpstreamsManagerProps {
  upstreams: UpstreamView[];
}

/** Register, change, check and remove the remote servers `/v1` routes to. */
export default function UpstreamsManager({ upstreams: initial }: UpstreamsManagerProps) {
  const hydrated = useHydrated();
  const upstreams = useCollection({ url: "/api/upstreams", initial, live: "upstreams.changed" });
  const confirm = useConfirm();
  /** The upstream in the form (null: a new one), and a count that starts the form over. */
  const editing = useSignal<{ upstream: UpstreamView | null; round: number }>({ upstream: null, round: 0 });
  const edit = (upstream: UpstreamView | null) =>
    editing.value = { upstream, round: editing.value.round + 1 };

  const check = (u: UpstreamView) =>
    upstreams.act(() => api<UpstreamView>(`/api/upstreams/${u.id}/check`, { method: "POST" }), {
      update: (list, view) => replaceItem(list, view, (x) => x.id),
    });
  const remove = (u: UpstreamView) =>
    confirm.ask({
      title: "Remove upstream",
      message: `Remove "${u.name}"? Its models stop answering here at once.`,
      confirmLabel: "Remove",
      danger: true,
      run: () =>
        upstreams.act(() => api(`/api/upstreams/${u.id}`, { method: "DELETE" }), {
          done: `${u.name} removed`,
        }),
    });

  return (
    <div class="space-y-4" data-hydrated={hydrated ? "" : undefined} data-testid="upstreams-manager">
      <UpstreamForm
        key={editing.value.round}
        upstream={editing.value.upstream}
        ready={hydrated}
        onSaved={async () => {
          edit(null);
          await upstreams.refresh();
        }}
        onCancel={() => edit(null)}
      />
      {upstreams.list.value.length === 0 && (
        <Alert kind="info">
          No upstreams yet. Add another Mac's MLX Manager, an exo cluster or any OpenAI-compatible server: its
          models then answer on this Mac's endpoint, with the same keys.
        </Alert>
      )}
      <ul class="grid gap-3 lg:grid-cols-2">
        {upstreams.list.value.map((u) => (
          <UpstreamCard
            key={u.id}
            upstream={u}
            ready={hydrated}
            busy={upstreams.busy.value}
            onCheck={() => check(u)}
            onEdit={() => edit(u)}
            onRemove={() => remove(u)}
          />
        ))}
      </ul>
      <ConfirmPrompt state={confirm} />
    </div>
  );
}
