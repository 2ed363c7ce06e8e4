import { useState } from "react";
import type { MeResponse } from "../../../../shared/api/auth";
import { BrandHeading, EmailField, NameField, PasswordField, useNewPasswordForm } from "../../ui/AccountFields";
import { ErrorNote } from "../../ui/Alert";
import { setupApi } from "./setupApi";

/**
 * First run (no account exists yet): the person at the keyboard makes the first admin account and is signed in.
 * The server refuses once any account exists, so this page cannot be used to take over a running studio.
 */
export function SetupPage({ onSignedIn }: { onSignedIn(me: MeResponse): void }) {
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const { password, setPassword, busy, error, submit } = useNewPasswordForm(async (password) =>
    onSignedIn(await setupApi.create({ email, displayName, password })),
  );

  return (
    <main className="login-page">
      <div className="login-card">
        <BrandHeading title="Set up CHAI Studio">Create the first admin account. You can add everyone else from the People page.</BrandHeading>
        <form onSubmit={(e) => void submit(e)} noValidate aria-label="Create the admin account">
          <ErrorNote message={error} testId="setup-error" />
          <NameField value={displayName} onValue={setDisplayName} />
          <EmailField value={email} onValue={setEmail} />
          <PasswordField choose value={password} onValue={setPassword} />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? "Creating…" : "Create admin account"}
          </button>
        </form>
      </div>
    </main>
  );
}
