import type { MeResponse } from "../../../shared/api/auth";
import { ROLE_LABELS } from "./format";
import { Link } from "./Link";

type Props = { me: MeResponse; current: "queue" | "task" | "spec" | "figures" | "training" | "dashboard" | "exports" | "other"; onLogout(): void; busy: boolean };

/** The app's top bar: product, sections, who is signed in, sign out. */
export function TopBar({ me, current, onLogout, busy }: Props) {
  return (
    <header className="topbar">
      <Link href="/" className="brand" aria-label="CHAI Studio, task queue">
        <span className="brand-mark" aria-hidden="true">C</span>
        <span className="brand-name">CHAI Studio</span>
      </Link>
      <nav className="topnav" aria-label="Sections">
        <Link href="/" aria-current={current === "queue" ? "page" : undefined}>
          Tasks
        </Link>
        <Link href="/spec" aria-current={current === "spec" ? "page" : undefined}>
          Caption spec
        </Link>
        {(me.role === "lead" || me.role === "admin") && (
          <Link href="/figures" aria-current={current === "figures" ? "page" : undefined}>
            Figures
          </Link>
        )}
        {(me.role === "trainer" || me.role === "lead" || me.role === "admin") && (
          <Link href="/training" aria-current={current === "training" ? "page" : undefined}>
            Training
          </Link>
        )}
        {(me.role === "lead" || me.role === "admin") && (
          <Link href="/dashboard" aria-current={current === "dashboard" ? "page" : undefined}>
            Dashboard
          </Link>
        )}
        {(me.role === "lead" || me.role === "admin") && (
          <Link href="/exports" aria-current={current === "exports" ? "page" : undefined}>
            Export
          </Link>
        )}
      </nav>
      <div className="topbar-user">
        <span className="user-name" data-testid="user-name">
          {me.displayName}
        </span>
        <span className="role-chip" data-role={me.role}>
          {ROLE_LABELS[me.role]}
        </span>
        <button type="button" className="btn btn-quiet" onClick={onLogout} disabled={busy}>
          Sign out
        </button>
      </div>
    </header>
  );
}
