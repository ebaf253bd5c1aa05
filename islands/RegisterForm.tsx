import { useSignal } from "@preact/signals";
import { Alert, BoundField, EmailField } from "../components/ui/Field.tsx";
import { SubmitButton } from "../components/ui/Buttons.tsx";
import { api, ApiError, errorMessage } from "../lib/client/api.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { fieldsSummary } from "../lib/client/form_errors.ts";

const LABELS: Record<string, string> = { email: "Email", password: "Password", confirm: "Confirm password" };
/** The server's password policy, checked here too so every problem shows at once. */
const MIN_PASSWORD = 8;

/** The problems the form can see without asking the server (which checks again). */
function localProblems(email: string, password: string, confirm: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!email.trim()) out.email = "Email is required";
  else if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) out.email = "Enter a valid email address";
  if (password.length < MIN_PASSWORD) out.password = `Password must be at least ${MIN_PASSWORD} characters`;
  if (password !== confirm) out.confirm = "The passwords do not match";
  return out;
}

/** Props of {@link RegisterForm}. */
export interface RegisterFormProps {
  /** Where to go after the first admin is signed in. */
  next: string;
  /** Whether this will be the first account (which becomes the admin). */
  first: boolean;
}

interface Registered {
  status: string;
}

/** The registration form: the first account signs in at once, later ones wait for approval. */
export default function RegisterForm({ next, first }: RegisterFormProps) {
  const hydrated = useHydrated();
  const email = useSignal("");
  const password = useSignal("");
  const confirm = useSignal("");
  const fields = useSignal<Record<string, string>>({});
  const error = useSignal<string | null>(null);
  const pending = useSignal(false);
  const busy = useSignal(false);

  async function submit(event: Event) {
    event.preventDefault();
    error.value = null;
    fields.value = localProblems(email.value, password.value, confirm.value);
    if (Object.keys(fields.value).length) return;
    busy.value = true;
    try {
      const user = await api<Registered>("/api/auth/register", {
        body: { email: email.value, password: password.value },
        noRedirect: true,
      });
      if (user.status === "approved") {
        await api("/api/auth/login", {
          body: { email: email.value, password: password.value },
          noRedirect: true,
        });
        location.href = next;
        return;
      }
      pending.value = true;
    } catch (e) {
      const problems = e instanceof ApiError ? e.fields : {};
      fields.value = problems;
      if (Object.keys(problems).length === 0) error.value = errorMessage(e);
    }
    busy.value = false;
  }

  // A field's error goes as soon as it changes; the summary shrinks with it.
  const clear = (name: string) => {
    if (!fields.value[name]) return;
    const { [name]: _, ...rest } = fields.value;
    fields.value = rest;
  };
  const summary = fieldsSummary(fields.value, (name) => LABELS[name]);

  if (pending.value) {
    return (
      <div class="space-y-4" data-testid="register-pending">
        <Alert kind="success">
          Registration submitted. An admin must approve your account before you can sign in.
        </Alert>
        <a href="/login" class="btn btn-secondary w-full">Back to sign in</a>
      </div>
    );
  }

  return (
    <form
      class="space-y-4"
      onSubmit={submit}
      data-hydrated={hydrated ? "" : undefined}
      data-testid="register-form"
      noValidate
    >
      {first && (
        <Alert kind="info">
          This is the first account: it becomes the administrator.
        </Alert>
      )}
      {(error.value ?? summary) && <Alert kind="error">{error.value ?? summary}</Alert>}
      <EmailField bind={email} onEdit={() => clear("email")} error={fields.value.email} />
      <BoundField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        hint="At least 8 characters"
        bind={password}
        onEdit={() => clear("password")}
        error={fields.value.password}
      />
      <BoundField
        label="Confirm password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        bind={confirm}
        onEdit={() => clear("confirm")}
        error={fields.value.confirm}
      />
      <SubmitButton label="Create account" busyLabel="Creating account…" busy={busy.value} ready={hydrated} />
    </form>
  );
}
