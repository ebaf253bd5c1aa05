import { useSignal } from "@preact/signals";
import { Alert, BoundField, EmailField, FormAlert } from "../components/ui/Field.tsx";
import { SubmitButton } from "../components/ui/Buttons.tsx";
import { api } from "../lib/client/api.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { alertText, clearField, type FormErrors, formErrors, NO_ERRORS } from "../lib/client/form_errors.ts";

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
  const errors = useSignal<FormErrors>(NO_ERRORS);
  const pending = useSignal(false);
  const busy = useSignal(false);

  async function submit(event: Event) {
    event.preventDefault();
    const problems = localProblems(email.value, password.value, confirm.value);
    errors.value = Object.keys(problems).length ? { fields: problems, message: null } : NO_ERRORS;
    if (errors.value !== NO_ERRORS) return;
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
      errors.value = formErrors(e);
    }
    busy.value = false;
  }

  // A field's error goes as soon as it changes; the summary shrinks with it.
  const clear = (name: string) => errors.value = clearField(errors.value, name);
  const fields = errors.value.fields;

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
      <FormAlert message={alertText(errors.value, (name) => LABELS[name])} />
      <EmailField bind={email} onEdit={() => clear("email")} error={fields.email} />
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
        error={fields.password}
      />
      <BoundField
        label="Confirm password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        bind={confirm}
        onEdit={() => clear("confirm")}
        error={fields.confirm}
      />
      <SubmitButton label="Create account" busyLabel="Creating account…" busy={busy.value} ready={hydrated} />
    </form>
  );
}
