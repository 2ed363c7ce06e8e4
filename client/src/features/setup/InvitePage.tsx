import { useState, type FormEvent } from "react";
import type { MeResponse } from "../../../../shared/api/auth";
import { PASSWORD_MIN } from "../../../../shared/api/people";
import { InputField } from "../../ui/Field";
import { ErrorNote, LoadError } from "../../ui/Alert";
import { useAction } from "../../ui/useAction";
import { useAsync } from "../../ui/useAsync";
import { Link } from "../../ui/Link";
import { setupApi } from "./setupApi";

/** /invite/<token>: an invitation (choose name and password) or a password reset link (choose a password). */
export function InvitePage({ token, onSignedIn }: { token: string; onSignedIn(me: MeResponse): void }) {
  const info = useAsync(token, () => setupApi.invite(token));
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [local, setLocal] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const kind = info.data?.kind;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (password.length < PASSWORD_MIN) return setLocal(`Passwords need at least ${PASSWORD_MIN} characters.`);
    setLocal(null);
    const body = kind === "invite" ? { displayName, password } : { password };
    await run(async () => onSignedIn(await setupApi.accept(token, body)));
  };

  return (
    <main className="login-page">
      <div className="login-card">
        <h1>{kind === "reset" ? "Choose a new password" : "Join CHAI Studio"}</h1>
        <LoadError state={info} />
        {info.status === "error" && <Link href="/login">Go to sign in</Link>}
        {info.data && (
          <form onSubmit={(e) => void submit(e)} noValidate aria-label={kind === "reset" ? "New password" : "Accept invitation"}>
            <p className="muted">{info.data.email}</p>
            <ErrorNote message={local ?? error} testId="invite-error" />
            {kind === "invite" && (
              <InputField label="Your name" name="displayName" autoComplete="name" autoFocus required maxLength={100} value={displayName} onValue={setDisplayName} />
            )}
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
              {busy ? "Saving…" : kind === "reset" ? "Set password and sign in" : "Join and sign in"}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
