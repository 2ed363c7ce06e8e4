import { useState } from "react";
import type { MeResponse } from "../../../../shared/api/auth";
import { NameField, PasswordField, useNewPasswordForm } from "../../ui/AccountFields";
import { ErrorNote, LoadError } from "../../ui/Alert";
import { useAsync } from "../../ui/useAsync";
import { Link } from "../../ui/Link";
import { setupApi } from "./setupApi";

/** /invite/<token>: an invitation (choose name and password) or a password reset link (choose a password). */
export function InvitePage({ token, onSignedIn }: { token: string; onSignedIn(me: MeResponse): void }) {
  const info = useAsync(token, () => setupApi.invite(token));
  const [displayName, setDisplayName] = useState("");
  const kind = info.data?.kind;
  const { password, setPassword, busy, error, submit } = useNewPasswordForm(async (password) =>
    onSignedIn(await setupApi.accept(token, kind === "invite" ? { displayName, password } : { password })),
  );

  return (
    <main className="login-page">
      <div className="login-card">
        <h1>{kind === "reset" ? "Choose a new password" : "Join CHAI Studio"}</h1>
        <LoadError state={info} />
        {info.status === "error" && <Link href="/login">Go to sign in</Link>}
        {info.data && (
          <form onSubmit={(e) => void submit(e)} noValidate aria-label={kind === "reset" ? "New password" : "Accept invitation"}>
            <p className="muted">{info.data.email}</p>
            <ErrorNote message={error} testId="invite-error" />
            {kind === "invite" && <NameField value={displayName} onValue={setDisplayName} />}
            <PasswordField choose value={password} onValue={setPassword} />
            <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
              {busy ? "Saving…" : kind === "reset" ? "Set password and sign in" : "Join and sign in"}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
