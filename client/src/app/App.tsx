import { useCallback, useEffect, useState } from "react";
import type { MeResponse } from "../../../shared/api/auth";
import { api, ApiError, errorMessage, setUnauthorizedHandler } from "./api";
import { TopBar, type TopBarSection } from "../ui/TopBar";
import { mayDo, mayOpen } from "./abilities";
import { Link } from "../ui/Link";
import { LoginPage } from "../features/auth/LoginPage";
import { QueuePage } from "../features/queue/QueuePage";
import { SpecPage } from "../features/spec/SpecPage";
import { TaskPage } from "../features/task/TaskPage";
import { FiguresPage } from "../features/lead/FiguresPage";
import { TrainerPage } from "../features/training/TrainerPage";
import { CoachingPage } from "../features/training/CoachingPage";
import { FeedbackPage } from "../features/training/FeedbackPage";
import { DiffPage } from "../features/diff/DiffPage";
import { DashboardPage } from "../features/dashboard/DashboardPage";
import { TaskListPage } from "../features/tasks/TaskListPage";
import { ExportsPage } from "../features/exports/ExportsPage";
import { ProjectsPage } from "../features/projects/ProjectsPage";
import { ProjectPage } from "../features/projects/ProjectPage";
import { SetupPage } from "../features/setup/SetupPage";
import { InvitePage } from "../features/setup/InvitePage";
import { setupApi } from "../features/setup/setupApi";
import { UsersPage } from "../features/admin/UsersPage";
import { AuditPage } from "../features/admin/AuditPage";
import { loginHref, matchRoute, navigate, safeNext, useLocation } from "./router";

type Session =
  | { status: "checking" }
  /** No account exists yet (first run): the only thing to do is to create the first admin. */
  | { status: "setup" }
  | { status: "signedOut"; notice: string | null }
  | { status: "signedIn"; me: MeResponse };

export function App() {
  const location = useLocation();
  const route = matchRoute(location.pathname);
  const [session, setSession] = useState<Session>({ status: "checking" });
  const [loggingOut, setLoggingOut] = useState(false);
  const [bootError, setBootError] = useState<string | null>(null);

  useEffect(() => {
    // First run is decided before the login page: with no account at all, signing in is impossible anyway.
    const boot = async () => {
      if ((await setupApi.status()).needed) return setSession({ status: "setup" });
      setSession({ status: "signedIn", me: await api.me() });
    };
    boot().catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 401) setSession({ status: "signedOut", notice: null });
      else setBootError(errorMessage(err));
    });
  }, []);

  // Any request that finds the session gone sends the user to sign in, then back to where they were.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setSession({ status: "signedOut", notice: "Your session ended. Sign in again to continue." });
      const here = window.location.pathname + window.location.search;
      navigate(loginHref(here.startsWith("/login") ? undefined : here), { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  // Keep the URL honest: signed-out users see /login, signed-in users never do.
  useEffect(() => {
    if (session.status === "setup") {
      if (route.name !== "setup") navigate("/setup", { replace: true });
    } else if (session.status === "signedOut" && route.name === "setup") {
      navigate("/login", { replace: true });
    } else if (session.status === "signedOut" && route.name !== "login" && route.name !== "invite") {
      navigate(loginHref(location.pathname + location.search), { replace: true });
    } else if (session.status === "signedIn" && (route.name === "login" || route.name === "setup")) {
      navigate(safeNext(new URLSearchParams(location.search).get("next")), { replace: true });
    }
  }, [session.status, route.name, location.pathname, location.search]);

  useEffect(() => {
    if (route.name !== "task") document.title = "CHAI Studio";
  }, [route.name]);

  const logout = useCallback(async () => {
    setLoggingOut(true);
    try {
      await api.logout();
    } catch {
      // Signed out locally either way; the server forgets an unknown session on its own.
    }
    setLoggingOut(false);
    setSession({ status: "signedOut", notice: "You are signed out." });
    navigate("/login", { replace: true });
  }, []);

  if (bootError) {
    return (
      <main className="page center">
        <p className="alert alert-error" role="alert">
          {bootError}
        </p>
        <button type="button" className="btn" onClick={() => window.location.reload()}>
          Retry
        </button>
      </main>
    );
  }
  if (session.status === "checking") return <div className="boot" aria-busy="true" />;
  const signedIn = (me: MeResponse) => {
    setSession({ status: "signedIn", me });
    navigate("/", { replace: true });
  };
  if (session.status === "setup") return <SetupPage onSignedIn={signedIn} />;
  // A one-time link works signed in or out: accepting it signs in as the person it was made for.
  if (route.name === "invite") return <InvitePage key={route.token} token={route.token} onSignedIn={signedIn} />;
  if (session.status === "signedOut") {
    return <LoginPage notice={session.notice} onSignedIn={(me) => setSession({ status: "signedIn", me })} />;
  }

  const me = session.me;
  const current: TopBarSection = route.name === "queue" || route.name === "task" || route.name === "spec" || route.name === "figures" || route.name === "training" || route.name === "dashboard" || route.name === "tasks" || route.name === "exports" ? route.name : route.name === "projects" || route.name === "project" ? "projects" : route.name === "users" || route.name === "audit" ? route.name : "other";
  return (
    <div className="app">
      <TopBar me={me} current={current} onLogout={() => void logout()} busy={loggingOut} />
      {route.name === "queue" && <QueuePage me={me} search={location.search} />}
      {route.name === "task" && <TaskPage key={route.taskId} taskId={route.taskId} />}
      {route.name === "spec" && <SpecPage search={location.search} />}
      {route.name === "figures" && <FiguresPage canEditRules={mayDo(me, "edit_reward_rules")} />}
      {route.name === "training" && <TrainerPage me={me} />}
      {route.name === "coaching" && <CoachingPage key={route.taskId} taskId={route.taskId} />}
      {route.name === "feedback" && <FeedbackPage key={route.taskId} taskId={route.taskId} />}
      {route.name === "diff" && <DiffPage key={route.taskId} taskId={route.taskId} />}
      {route.name === "dashboard" && <DashboardPage search={location.search} />}
      {route.name === "tasks" && mayOpen(me, "tasks") && <TaskListPage me={me} search={location.search} />}
      {route.name === "exports" && mayOpen(me, "exports") && <ExportsPage />}
      {route.name === "projects" && mayOpen(me, "projects") && <ProjectsPage me={me} />}
      {route.name === "project" && mayOpen(me, "projects") && <ProjectPage key={route.projectId} me={me} projectId={route.projectId} />}
      {route.name === "users" && mayOpen(me, "users") && <UsersPage meId={me.id} />}
      {route.name === "audit" && mayOpen(me, "audit") && <AuditPage />}
      {(route.name === "notFound" || route.name === "login") && (
        <main className="page">
          <h1>Page not found</h1>
          <p>
            <Link href="/">Go to your tasks</Link>
          </p>
        </main>
      )}
    </div>
  );
}
