import type { AppPage } from "../../../shared/api/abilities";
import type { MeResponse } from "../../../shared/api/auth";
import { ROLE_LABELS } from "../../../shared/domain";
import { mayOpen } from "../app/abilities";
import { Link } from "./Link";

export type TopBarSection = "queue" | "task" | "spec" | "figures" | "training" | "dashboard" | "tasks" | "exports" | "projects" | "users" | "audit" | "other";
type Props = { me: MeResponse; current: TopBarSection; onLogout(): void; busy: boolean };

/** The menu, in order; each entry shows when the server lists its page in the person's abilities. */
const SECTIONS: { page: AppPage; href: string; label: string; current: TopBarSection }[] = [
  { page: "queue", href: "/", label: "Tasks", current: "queue" },
  { page: "spec", href: "/spec", label: "Caption spec", current: "spec" },
  { page: "figures", href: "/figures", label: "Figures", current: "figures" },
  { page: "trainer", href: "/training", label: "Training", current: "training" },
  { page: "dashboard", href: "/dashboard", label: "Dashboard", current: "dashboard" },
  { page: "tasks", href: "/tasks", label: "Task list", current: "tasks" },
  { page: "exports", href: "/exports", label: "Export", current: "exports" },
  { page: "projects", href: "/admin/projects", label: "Projects", current: "projects" },
  { page: "users", href: "/admin/users", label: "People", current: "users" },
  { page: "audit", href: "/admin/audit", label: "Audit log", current: "audit" },
];

/** The app's top bar: product, sections, who is signed in, sign out. */
export function TopBar({ me, current, onLogout, busy }: Props) {
  return (
    <header className="topbar">
      <Link href="/" className="brand" aria-label="CHAI Studio, task queue">
        <span className="brand-mark" aria-hidden="true">C</span>
        <span className="brand-name">CHAI Studio</span>
      </Link>
      <nav className="topnav" aria-label="Sections">
        {SECTIONS.filter((s) => mayOpen(me, s.page)).map((s) => (
          <Link key={s.page} href={s.href} aria-current={current === s.current ? "page" : undefined}>
            {s.label}
          </Link>
        ))}
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
