import { useState, type FormEvent } from "react";
import { ROLES, ROLE_LABELS, type Role } from "../../../../shared/domain";
import { PASSWORD_MIN, type AdminUser } from "../../../../shared/api/people";
import { Choice, Field, InputField } from "../../ui/Field";
import { ErrorNote, LoadError, Notice, type NoticeText } from "../../ui/Alert";
import { PageHead } from "../../ui/PageHead";
import { TableHead } from "../../ui/TableHead";
import { useAction } from "../../ui/useAction";
import { useAsync } from "../../ui/useAsync";
import { absoluteLink, adminApi } from "./adminApi";
import "./admin.css";

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");

/** /admin/users: everyone with an account; add people (password or invitation), change roles, (de)activate, reset. */
export function UsersPage({ meId }: { meId: string }) {
  const [version, setVersion] = useState(0);
  const list = useAsync(`users-${version}`, (signal) => adminApi.users(signal));
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const reload = (n: NoticeText) => {
    setNotice(n);
    setVersion((v) => v + 1);
  };
  return (
    <main className="page admin-page">
      <PageHead title="People" intro="Who can sign in, and with which role. Every change is in the audit log." />
      <Notice notice={notice} />
      <NewPersonForm onDone={reload} />
      <LoadError state={list} />
      {list.data && (
        <div className="table-wrap">
          <table className="task-table admin-table" aria-label="People">
            <TableHead columns={["Name", "Email", "Role", "Status", "Last seen", "Actions"]} />
            <tbody>
              {list.data.users.map((u) => (
                <PersonRow key={u.id} user={u} self={u.id === meId} onDone={reload} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

function NewPersonForm({ onDone }: { onDone(n: NoticeText): void }) {
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [role, setRole] = useState<Role>("annotator");
  const [mode, setMode] = useState<"password" | "invite">("password");
  const [password, setPassword] = useState("");
  const [link, setLink] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setLink(null);
    const ok = await run(async () => {
      const res = await adminApi.create({ email, displayName: displayName.trim() || undefined, role, password: mode === "password" ? password : undefined });
      if (res.invite) setLink(absoluteLink(res.invite.path));
    });
    // Only a success clears the form: after an error, what was typed stays to be corrected.
    if (ok) {
      onDone({ kind: "info", text: mode === "invite" ? `Invitation made for ${email}.` : `${email} can sign in now.` });
      setEmail("");
      setDisplayName("");
      setPassword("");
    }
  };

  return (
    <section className="panel" aria-label="Add a person">
      <h2>Add a person</h2>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Add a person" className="form-row">
        <InputField label="Email" type="email" name="email" required maxLength={254} value={email} onValue={setEmail} />
        <InputField label="Name" name="displayName" maxLength={100} value={displayName} onValue={setDisplayName} />
        <Field label="Role">
          <Choice name="role" value={role} options={ROLE_OPTIONS} onChange={setRole} />
        </Field>
        <Field label="How they get in">
          <Choice
            name="mode"
            value={mode}
            options={[
              { value: "password", label: "Set a password now" },
              { value: "invite", label: "Send a one-time link" },
            ]}
            onChange={setMode}
          />
        </Field>
        {mode === "password" && (
          <InputField label={`Password (at least ${PASSWORD_MIN} characters)`} type="password" name="password" autoComplete="new-password" maxLength={1024} value={password} onValue={setPassword} />
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Adding…" : mode === "invite" ? "Make invitation" : "Add person"}
        </button>
      </form>
      <ErrorNote message={error} testId="new-person-error" />
      {link && <OneTimeLinkNote link={link} />}
    </section>
  );
}

function OneTimeLinkNote({ link }: { link: string }) {
  return (
    <p className="alert alert-info" role="status">
      Give this link to the person; it works once: <code data-testid="one-time-link">{link}</code>
    </p>
  );
}

function PersonRow({ user, self, onDone }: { user: AdminUser; self: boolean; onDone(n: NoticeText): void }) {
  const { busy, error, run } = useAction();
  const [link, setLink] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState<string | null>(null);
  const setPassword = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await adminApi.resetPassword(user.id, newPassword ?? "");
      setNewPassword(null);
      onDone({ kind: "info", text: `${user.displayName} has a new password and was signed out everywhere.` });
    });
  };
  const change = (body: { role?: Role; active?: boolean }, text: string) =>
    void run(async () => {
      await adminApi.update(user.id, body);
      onDone({ kind: "info", text });
    });
  const resetLink = () =>
    void run(async () => {
      const res = await adminApi.resetPassword(user.id);
      if (res.link) setLink(absoluteLink(res.link.path));
    });
  return (
    <tr data-testid={`person-${user.email}`}>
      <td>{user.displayName}</td>
      <td>{user.email}</td>
      <td>
        <Choice
          aria-label={`Role of ${user.displayName}`}
          value={user.role}
          options={ROLE_OPTIONS}
          disabled={busy || self}
          onChange={(role) => change({ role }, `${user.displayName} is now ${ROLE_LABELS[role]}.`)}
        />
      </td>
      <td>{user.active ? "Active" : `Deactivated ${when(user.deactivatedAt)}`}</td>
      <td>{when(user.lastSeenAt)}</td>
      <td className="person-actions">
        {!self && (
          <button
            type="button"
            className="btn btn-quiet"
            disabled={busy}
            onClick={() => change({ active: !user.active }, user.active ? `${user.displayName} is deactivated and signed out.` : `${user.displayName} can sign in again.`)}
          >
            {user.active ? "Deactivate" : "Reactivate"}
          </button>
        )}
        <button type="button" className="btn btn-quiet" disabled={busy || !user.active} onClick={resetLink}>
          Reset link
        </button>
        <button type="button" className="btn btn-quiet" disabled={busy || !user.active} onClick={() => setNewPassword(newPassword === null ? "" : null)}>
          Set password
        </button>
        {newPassword !== null && (
          <form onSubmit={setPassword} noValidate aria-label={`New password for ${user.displayName}`}>
            <InputField label="New password" type="password" autoComplete="new-password" maxLength={1024} value={newPassword} onValue={setNewPassword} />
            <button type="submit" className="btn" disabled={busy}>
              Save password
            </button>
          </form>
        )}
        <ErrorNote message={error} />
        {link && <OneTimeLinkNote link={link} />}
      </td>
    </tr>
  );
}
