import { useState, type FormEvent } from "react";
import type { MeResponse } from "../../../../shared/api/auth";
import { api, errorMessage } from "../../app/api";
import { BrandHeading, EmailField, PasswordField } from "../../ui/AccountFields";
import { ErrorNote, Notice } from "../../ui/Alert";

/** The demo accounts of the design card; their password is public, so the hint is labelled as demo-only. */
const DEMO_ACCOUNTS: readonly { email: string; role: string }[] = [
  { email: "annotator@demo.test", role: "Annotator" },
  { email: "annotator2@demo.test", role: "Annotator" },
  { email: "reviewer@demo.test", role: "Reviewer" },
  { email: "trainer@demo.test", role: "Trainer" },
  { email: "trainee@demo.test", role: "Trainee" },
  { email: "lead@demo.test", role: "Lead" },
  { email: "admin@demo.test", role: "Admin" },
];

type Props = { onSignedIn(me: MeResponse): void; notice?: string | null };

export function LoginPage({ onSignedIn, notice }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    if (!email.trim() || !password) {
      setError("Enter your email and password.");
      return;
    }
    setBusy(true);
    try {
      onSignedIn(await api.login({ email: email.trim(), password }));
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  const fillDemo = (demoEmail: string) => {
    setEmail(demoEmail);
    setPassword("demo");
    setError(null);
  };

  return (
    <main className="login-page">
      <div className="login-card">
        <BrandHeading title="CHAI Studio">Critique-based caption oversight</BrandHeading>
        <form onSubmit={submit} noValidate aria-label="Sign in">
          <Notice notice={notice && !error ? { kind: "info", text: notice } : null} />
          <ErrorNote message={error} testId="login-error" />
          <EmailField autoFocus value={email} onValue={setEmail} />
          <PasswordField value={password} onValue={setPassword} />
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
      <aside className="demo-hint" aria-label="Demo accounts">
        <div className="demo-hint-head">
          <span className="badge badge-demo">Demo</span>
          <span>
            On a demo server every account below uses the password <code>demo</code>. Not for real use.
          </span>
        </div>
        <ul>
          {DEMO_ACCOUNTS.map((a) => (
            <li key={a.email}>
              <button type="button" className="linklike" onClick={() => fillDemo(a.email)}>
                {a.email}
              </button>
              <span className="muted">{a.role}</span>
            </li>
          ))}
        </ul>
      </aside>
    </main>
  );
}
