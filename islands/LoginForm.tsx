import { useSignal } from "@preact/signals";
import { Alert, BoundField, EmailField, FormAlert } from "../components/ui/Field.tsx";
import { SubmitButton } from "../components/ui/Buttons.tsx";
import { api, ApiError } from "../lib/client/api.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { alertText, clearField, type FormErrors, formErrors, NO_ERRORS } from "../lib/client/form_errors.ts";

const LABELS: Record<string, string> = { email: "Email", password: "Password" };

/** Props of {@link LoginForm}. */
export interface LoginFormProps {
  /** Where to go after signing in (already checked to be a local path). */
  next: string;
}

/** What the form says about the account itself (waiting for approval, disabled). */
type Message = { kind: "error" | "info"; text: string } | null;

/** The sign-in form: explains pending and disabled accounts, shows errors without a reload. */
export default function LoginForm({ next }: LoginFormProps) {
  const hydrated = useHydrated();
  const email = useSignal("");
  const password = useSignal("");
  const errors = useSignal<FormErrors>(NO_ERRORS);
  const message = useSignal<Message>(null);
  const busy = useSignal(false);

  async function submit(event: Event) {
    event.preventDefault();
    busy.value = true;
    message.value = null;
    errors.value = NO_ERRORS;
    try {
      await api("/api/auth/login", {
        body: { email: email.value, password: password.value },
        noRedirect: true,
      });
      location.href = next;
      return;
    } catch (error) {
      if (error instanceof ApiError && error.code === "pending_approval") {
        message.value = {
          kind: "info",
          text: "Your account is waiting for an admin's approval. You can sign in once it is approved.",
        };
      } else if (error instanceof ApiError && error.code === "disabled") {
        message.value = {
          kind: "error",
          text: "This account has been disabled. Ask an admin to re-enable it.",
        };
      } else {
        errors.value = formErrors(error);
      }
    }
    busy.value = false;
  }

  return (
    <form
      method="post"
      class="space-y-4"
      onSubmit={submit}
      data-hydrated={hydrated ? "" : undefined}
      data-testid="login-form"
      noValidate
    >
      {message.value && <Alert kind={message.value.kind}>{message.value.text}</Alert>}
      <FormAlert message={alertText(errors.value, (name) => LABELS[name])} />
      <EmailField
        bind={email}
        onEdit={() => errors.value = clearField(errors.value, "email")}
        error={errors.value.fields.email}
      />
      <BoundField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        bind={password}
        onEdit={() => errors.value = clearField(errors.value, "password")}
        error={errors.value.fields.password}
      />
      <SubmitButton label="Sign in" busyLabel="Signing in…" busy={busy.value} ready={hydrated} />
    </form>
  );
}
