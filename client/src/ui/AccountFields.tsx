import { useState, type FormEvent, type ReactNode } from "react";
import { PASSWORD_MIN } from "../../../shared/api/people";
import { InputField } from "./Field";
import { useAction } from "./useAction";

/**
 * The account form fields of the sign-in, first-run and invitation pages, so their names, autocomplete hints and
 * limits (those of shared/api/people.ts) are said once.
 */

type TextProps = { value: string; onValue(value: string): void };

/** "Your name": the person's display name; it takes the focus, as it opens the forms it is in. */
export function NameField(props: TextProps) {
  return <InputField label="Your name" name="displayName" autoComplete="name" autoFocus required maxLength={100} {...props} />;
}

export function EmailField({ autoFocus = false, ...props }: TextProps & { autoFocus?: boolean }) {
  return <InputField label="Email" type="email" name="email" autoComplete="username" autoFocus={autoFocus} required maxLength={254} {...props} />;
}

/** A password: `choose` for a new one (its label says the minimum length), otherwise the current one to sign in. */
export function PasswordField({ choose = false, ...props }: TextProps & { choose?: boolean }) {
  return (
    <InputField
      label={choose ? `Password (at least ${PASSWORD_MIN} characters)` : "Password"}
      type="password"
      name="password"
      autoComplete={choose ? "new-password" : "current-password"}
      required
      maxLength={1024}
      {...props}
    />
  );
}

/**
 * A form that chooses a new password: `submit` checks the server's length rule before a round trip (what was typed
 * stays in the form either way), then runs `send` once at a time; `error` is the local or the server's message.
 */
export function useNewPasswordForm(send: (password: string) => Promise<unknown>) {
  const [password, setPassword] = useState("");
  const [local, setLocal] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const tooShort = password.length < PASSWORD_MIN ? `Passwords need at least ${PASSWORD_MIN} characters.` : null;
    setLocal(tooShort);
    if (tooShort) return;
    await run(() => send(password));
  };
  return { password, setPassword, busy, error: local ?? error, submit };
}

/** The brand mark over a title and a line of text, atop the sign-in and first-run cards. */
export function BrandHeading({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="login-brand">
      <span className="brand-mark brand-mark-lg" aria-hidden="true">C</span>
      <div>
        <h1>{title}</h1>
        <p className="muted">{children}</p>
      </div>
    </div>
  );
}
