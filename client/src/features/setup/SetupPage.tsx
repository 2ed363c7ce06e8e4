import { useState, type FormEvent } from "react";
import type { MeResponse } from "../../../../shared/api/auth";
import { PASSWORD_MIN } from "../../../../shared/api/people";
import { InputField } from "../../ui/Field";
import { ErrorNote } from "../../ui/Alert";
import { useAction } from "../../ui/useAction";
import { setupApi } from "./setupApi";

/**
 * First run (no account exists yet): the person at the keyboard makes the first admin account and is signed in.
 * The server refuses once any account exists, so this page cannot be used to take over a running studio.
 */
export function SetupPage({ onSignedIn }: { onSignedIn(me: MeResponse): void }) {
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();
  const [local, setLocal] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    // The same rule the server checks, said before a round trip; what was typed stays in the form either way.
    if (password.length < PASSWORD_MIN) return setLocal(`Passwords need at least ${PASSWORD_MIN} characters.`);
    setLocal(null);
    await run(async () => onSignedIn(await setupApi.create({ email, displayName, password })));
  };

  return (
    <main className="login-page">
      <div className="login-card">
        <div className="login-brand">
          <span className="brand-mark brand-mark-lg" aria-hidden="true">C</span>
          <div>
            <h1>Set up CHAI Studio</h1>
            <p className="muted">Create the first admin account. You can add everyone else from the People page.</p>
          </div>
        </div>
        <form onSubmit={(e) => void submit(e)} noValidate aria-label="Create the admin account">
          <ErrorNote message={local ?? error} testId="setup-error" />
          <InputField label="Your name" name="displayName" autoComplete="name" autoFocus required maxLength={100} value={displayName} onValue={setDisplayName} />
          <InputField label="Email" type="email" name="email" autoComplete="username" required maxLength={254} value={email} onValue={setEmail} />
          <InputField
            label={`Password (at least ${PASSWORD_MIN} characters)`}
            type="password"
            name="password"
            autoComplete="new-password"
            required
            maxLength={1024}
            value={password}
            onValue={setPassword}
          />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? "Creating…" : "Create admin account"}
          </button>
        </form>
      </div>
    </main>
  );
}
